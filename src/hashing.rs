//! The hasher of the run's own maps keyed by paths, file ids and texts. A scan hashes a path
//! some three hundred times per file (the source database, the directory and config caches,
//! the module cache), and std's SipHash was 2% of a scan's instructions. The keys come from the
//! scanned tree, so the hasher stays seeded per process (foldhash's `RandomState`), which is
//! what flooding a map with chosen keys needs to be guarded against here.

pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
