package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// ErrInUse is returned (wrapped, with who holds it) by Open when another
// mockpay has the database open.
var ErrInUse = errors.New("the database is in use by another mockpay")

// Two processes on one SQLite file both run the dispatcher and the expiry
// worker: each claims the same due notifications and delivers them twice.
// So one process owns a database for its lifetime, through an exclusive
// flock(2) on a lock file beside it (mockpay.db.lock). A lock, not a lease
// row: the kernel releases it however the owner ends, kill -9 included, so
// there is no stale lease to time out after a crash, and no heartbeat
// writes that would wake every long poll. The lock file stays behind after
// a clean exit on purpose: unlinking it would let a third process lock a
// fresh file while a second still holds the old one.
//
// flock is advisory and per open file, so it also stops a second Open of
// the same file inside one process, while tests opening many databases in
// temporary directories never meet each other.

// lockHolder is what the lock file says about its owner, for the message a
// second process prints.
type lockHolder struct {
	PID   int    `json:"pid"`
	Addr  string `json:"addr,omitempty"`
	Since string `json:"since"`
}

// lockFile is a held lock.
type lockFile struct {
	f      *os.File
	holder lockHolder
}

func lockPath(dbPath string) string { return dbPath + ".lock" }

// acquireLock takes the database's lock without waiting, or says who has it.
func acquireLock(dbPath string) (*lockFile, error) {
	path := lockPath(dbPath)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, privateMode)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := restrict(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !held {
		other := readHolder(f)
		f.Close()
		return nil, inUse(dbPath, other)
	}
	// The real start time, not the virtual clock: it tells an operator
	// which process to look for.
	l := &lockFile{f: f, holder: lockHolder{PID: os.Getpid(), Since: time.Now().Format(time.RFC3339)}}
	if err := l.write(); err != nil {
		l.release()
		return nil, err
	}
	return l, nil
}

// setAddr records the owner's listening address in the lock file.
func (l *lockFile) setAddr(addr string) error {
	l.holder.Addr = addr
	return l.write()
}

func (l *lockFile) write() error {
	b, _ := json.Marshal(l.holder)
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	_, err := l.f.WriteAt(append(b, '\n'), 0)
	return err
}

// release unlocks (closing the file drops the flock).
func (l *lockFile) release() error { return l.f.Close() }

func readHolder(f *os.File) *lockHolder {
	b := make([]byte, 4096)
	n, _ := f.ReadAt(b, 0)
	var h lockHolder
	if json.Unmarshal(b[:n], &h) != nil || h.PID == 0 {
		return nil // being rewritten, or written by something else
	}
	return &h
}

func inUse(dbPath string, h *lockHolder) error {
	who := "another process (it did not say which)"
	if h != nil {
		parts := []string{fmt.Sprintf("pid %d", h.PID)}
		if h.Addr != "" {
			parts = append(parts, "listening on "+h.Addr)
		}
		if h.Since != "" {
			parts = append(parts, "since "+h.Since)
		}
		who = "mockpay " + strings.Join(parts, ", ")
	}
	return fmt.Errorf("%w: %s is held by %s (lock file %s). "+
		"Two mockpay processes on one SQLite file would both deliver every notification: stop that one, or give this one its own --db. "+
		"Several replicas sharing one database is what the PostgreSQL store (a later release) is for, never a shared SQLite file",
		ErrInUse, dbPath, who, lockPath(dbPath))
}
