import CFuzzerDriver
import Foundation

// SwiftPM renames an executable's `main` and links `main` to it, so libFuzzer's own `main` is
// never pulled in: this is the entry point, and it hands over to libFuzzer's driver with the
// command line as given (corpus folders, -max_total_time=…).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in almanacIngestFuzz(data, size) })
