/// The engine's version for cache keys: raise it whenever a change alters what the engine
/// computes or records for the same config, so stored runs are never silently reused.
public enum Engine {
    public static let version = 1
}
