import CMalloc

/// The process heap's free pages, handed back to the system between stages.
///
/// A stage frees what its predecessor made (normalize frees the sheets, reconcile's commit
/// frees its encoding buffers …), but glibc keeps freed pages mapped in the arena of the
/// thread that freed them, where the next stage's threads may never reuse them: at 10M rows
/// that was 30 MB of the peak resident size. Trimming costs a walk over the free lists, a
/// few milliseconds, so it runs only where a stage or a commit has just let go of its data.
public enum HeapPages {
  public static func releaseFree() {
    almanac_release_free_heap_pages()
  }
}

extension Array {
  /// Drops the growth slack (more than an eighth) of an array filled by appending, for arrays
  /// held long after they are built (decoded registers and figure tables).
  mutating func trimCapacity() {
    if capacity > count + count / 8 { self = withUnsafeBufferPointer { Array($0) } }
  }
}
