package index

import (
	"container/list"
	"sync"
)

// An lru keeps values up to a total size, least recently used out first;
// it is safe for concurrent use. Values are shared: they must not change
// once put.
type lru[K comparable, V any] struct {
	mu      sync.Mutex
	entries map[K]*list.Element
	order   *list.List // of *lruEntry, most recent first
	bytes   int
	limit   int
	size    func(K, V) int
}

type lruEntry[K comparable, V any] struct {
	key   K
	value V
	size  int
}

// newLRU returns an lru of at most limit bytes, as size measures them.
func newLRU[K comparable, V any](limit int, size func(K, V) int) *lru[K, V] {
	return &lru[K, V]{entries: map[K]*list.Element{}, order: list.New(), limit: limit, size: size}
}

func (c *lru[K, V]) get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*lruEntry[K, V]).value, true
	}
	var zero V
	return zero, false
}

// put keeps value, unless it alone would take more than a quarter of the
// limit.
func (c *lru[K, V]) put(key K, value V) {
	size := c.size(key, value)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok || size > c.limit/4 {
		return
	}
	c.entries[key] = c.order.PushFront(&lruEntry[K, V]{key: key, value: value, size: size})
	c.bytes += size
	for c.bytes > c.limit {
		last := c.order.Back()
		e := last.Value.(*lruEntry[K, V])
		c.order.Remove(last)
		delete(c.entries, e.key)
		c.bytes -= e.size
	}
}
