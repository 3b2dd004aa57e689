import AlmanacCore

/// One file of the inbox as the runner listed it (path relative to the inbox).
public typealias InboxFile = FileRef
