import AlmanacCore

/// Namespace placeholder: replaced as the module grows.
public enum IngestModule {}
