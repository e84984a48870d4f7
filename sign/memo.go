package sign

import (
	"crypto"
	"crypto/rsa"
	"sync"
)

// PKCS#1 v1.5 signatures are deterministic: one key over one digest always
// gives the same bytes. So an answer signed again unchanged (a shop polling
// trade.query on a paid trade) reuses its signature instead of paying
// another RSA private-key operation, the ~1 ms that is most of a signed
// answer's cost (issue 18; docs/performance.md). The memo is bounded: it
// forgets the oldest signature past memoSize, so neither history nor a
// flood of distinct answers grows it.
const memoSize = 2048

type memoKey struct {
	key  *rsa.PrivateKey // identity: a key loaded again is another entry
	hash crypto.Hash
	sum  [32]byte // the digest (SHA-1's 20 bytes, zero-padded)
}

type memo struct {
	mu   sync.Mutex
	sigs map[memoKey][]byte
	ring []memoKey // insertion order; ring[next] is forgotten first
	next int
}

var signatures = &memo{sigs: make(map[memoKey][]byte, memoSize)}

func keyOf(key *rsa.PrivateKey, h crypto.Hash, sum []byte) memoKey {
	k := memoKey{key: key, hash: h}
	copy(k.sum[:], sum)
	return k
}

func (m *memo) get(k memoKey) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	sig, ok := m.sigs[k]
	return sig, ok
}

func (m *memo) put(k memoKey, sig []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sigs[k]; ok {
		return
	}
	if len(m.ring) < memoSize {
		m.ring = append(m.ring, k)
	} else {
		delete(m.sigs, m.ring[m.next])
		m.ring[m.next] = k
		m.next = (m.next + 1) % memoSize
	}
	m.sigs[k] = sig
}

func (m *memo) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sigs)
}
