//! A small map of recently used values, shared by the caches of team decisions: the store's
//! teams as last read (SQLite) and the site's scores of each team. Written here rather than
//! taken from a caching crate because both need only this: a bounded map behind one lock that
//! forgets everything when full (cheap, and a team page's next read simply fills it again).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// At most `limit` entries by key; inserting into a full map first forgets every entry.
#[derive(Debug)]
pub(crate) struct BoundedMap<V> {
    limit: usize,
    entries: Mutex<HashMap<String, V>>,
}

impl<V> BoundedMap<V> {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            limit,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The map, locked. No code that can panic part-way runs under the lock, so a poisoned lock
    /// still holds a whole map, and it is used as it is.
    pub(crate) fn lock(&self) -> Guard<'_, V> {
        Guard {
            limit: self.limit,
            entries: self.entries.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }
}

/// A locked [`BoundedMap`].
pub(crate) struct Guard<'a, V> {
    limit: usize,
    entries: MutexGuard<'a, HashMap<String, V>>,
}

impl<V> Guard<'_, V> {
    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        self.entries.get(key)
    }

    /// Keeps `value` under `key`, forgetting every other entry first if the map is full.
    pub(crate) fn insert(&mut self, key: &str, value: V) {
        if self.entries.len() >= self.limit && !self.entries.contains_key(key) {
            self.entries.clear();
        }
        self.entries.insert(key.to_owned(), value);
    }

    pub(crate) fn remove(&mut self, key: &str) {
        self.entries.remove(key);
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_map_forgets_everything_before_a_new_key_but_not_for_a_known_one() {
        let map = BoundedMap::new(2);
        let mut entries = map.lock();
        entries.insert("a", 1);
        entries.insert("b", 2);
        entries.insert("b", 3);
        assert_eq!((Some(&1), Some(&3)), (entries.get("a"), entries.get("b")));
        entries.insert("c", 4);
        assert_eq!(
            (None, None, Some(&4)),
            (entries.get("a"), entries.get("b"), entries.get("c"))
        );
        entries.remove("c");
        assert_eq!(None, entries.get("c"));
    }
}
