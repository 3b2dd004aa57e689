#!/usr/bin/env python3
"""Writes the byte-level ingest fixtures. Deterministic: rerun and `git diff` shows nothing."""
import gzip
import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as g:
        g.write(data)
    return buf.getvalue()


SHEET = (
    "凌海市环境保护局2025年度政府信息公开工作年度报告统计表,,,,\r\n"
    "填报单位：凌海市环境保护局,,,填报日期：2026年1月10日,\r\n"
    ",,自然人,法人或其他组织,总计\r\n"
    "一、本年新收政府信息公开申请数量,,3,0,3\r\n"
    "\r\n"
    "填表人：王丽,,联系电话：0416-8123456,,\r\n"
)

# GB18030 (Excel "CSV (逗号分隔)" on Chinese Windows): title, metadata, header, data, blank, footer.
write("gb18030-sheet.csv", SHEET.encode("gb18030"))
# The same sheet as UTF-8 with BOM, LF line ends.
write("utf8-bom.csv", b"\xef\xbb\xbf" + SHEET.replace("\r\n", "\n").encode("utf-8"))
# UTF-8 without BOM, no newline at the end of the last line.
write("utf8-nobom.csv", "指标名称,计量单位,本年度\n主动公开政府信息数,条,820\n其中：政府门户网站公开数,条,760".encode("utf-8"))
# ASCII lines first, the first non-UTF-8 byte on line 3.
write("ascii-then-gb.csv", "id,name\n1,a\n2,环保局\n".encode("gb18030"))
# Excel "Unicode 文本": UTF-16LE with BOM, tab separated, CRLF; a thousands separator in a cell.
write(
    "utf16le-tab.txt",
    b"\xff\xfe"
    + "表三\t\t\r\n申请人\t自然人\t总计\r\n新收\t1,234\t1,234\r\n".encode("utf-16-le"),
)
# gzip of the GB18030 sheet.
write("gb18030-sheet.csv.gz", gz(SHEET.encode("gb18030")))
# Quoted fields: embedded comma, doubled quotes, embedded LF and CRLF; CRLF line ends.
write(
    "quoted.csv",
    (
        'a,"b,c","say ""hi"""\r\n'
        '"line1\nline2",x,"p\r\nq\r\nr"\r\n'
        'after,"",z\r\n'
    ).encode("utf-8"),
)
# Blank lines, trailing empty columns, LF, no newline at the end.
write("blank-lines.csv", b"\n1,2,,\n\n\n3,4,,\n,,,\n5,6")
# The same records with CRLF and with LF.
write("lines-crlf.csv", b"h1,h2\r\nv1,v2\r\n\r\nv3,v4\r\n")
write("lines-lf.csv", b"h1,h2\nv1,v2\n\nv3,v4\n")
# Semicolon separated with decimal commas in quotes.
write("semicolon.csv", 'a;b;c\n1;"2,5";3\n4;5;6\n'.encode("utf-8"))

# --- malformed ---
write("empty.csv", b"")
write("only-blank.csv", b"\xef\xbb\xbf\r\n\r\n")
write("unterminated-quote.csv", b'a,b\nc,"d\ne,f\n')
write("bad-quote.csv", b'a,b\nc,d"e,f\n')
# Valid GB18030 on lines 1-2, then 0x81 0x20 (lead byte without a trail byte) in line 3, field 2.
write("invalid-gb18030.csv", "名称,数量\n环保局,3\n".encode("gb18030") + b"x,\x81\x20y\n")
write("bom-invalid-utf8.csv", b"\xef\xbb\xbfa,b\nc,\xff\n")
# UTF-8 with one stray byte (a no-break space pasted as Latin-1) on line 4.
write(
    "utf8-stray-byte.csv",
    "凌海市司法局2025年度统计表,,\n信息内容,本年制发件数,\n规章,1,\n行政许可,22".encode("utf-8")
    + b"\xa0,\n"
    + "行政处罚,3,\n".encode("utf-8"),
)
full = gz(("序号,名称\n" + "".join("%d,环保局第%d条\n" % (i, i) for i in range(1, 400))).encode("gb18030"))
write("truncated.csv.gz", full[: len(full) // 2])
write("binary.csv", b"abc,def\n\x00\x01\x02\x03\xff\xfe")
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w") as z:
    info = zipfile.ZipInfo("xl/workbook.xml", date_time=(2025, 1, 1, 0, 0, 0))
    z.writestr(info, "<workbook/>")
write("renamed-xlsx.csv", zbuf.getvalue())
# Seeds
os.makedirs(os.path.join(HERE, "seeds"), exist_ok=True)
write("seeds/applicant_types.csv", "\ufeffvariant,column\n自然人,np\n\n商业企业,sy\n".encode("utf-8"))
write("seeds/result_aliases.csv", b"variant,row\nx,r1,extra\n")
