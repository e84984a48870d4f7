package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// privateMode is the mode of the database, its -wal and -shm, and the lock
// file: they hold every app's private key, so only the owner reads them.
const privateMode fs.FileMode = 0o600

// restrict sets an open file to privateMode whatever the umask made of it.
func restrict(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Mode().Perm() == privateMode {
		return nil
	}
	return f.Chmod(privateMode)
}

// createPrivate creates the database file, empty and private, before SQLite
// opens it: SQLite would create it 0644 less the umask, and it gives the
// -wal and -shm files the database file's mode. Failing to open the file is
// fatal; failing to tighten the mode of an existing one (owned by someone
// else) is a warning, since the owner's choice still works.
func createPrivate(path string) (warning, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, privateMode)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if err := restrict(f); err != nil {
		return loose(path, err), nil
	}
	return "", nil
}

// restrictSidecars makes the -wal and -shm private when they exist: an older
// mockpay left them readable by others.
func restrictSidecars(path string) []warning {
	var out []warning
	for _, p := range []string{path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil && st.Mode().Perm() != privateMode {
			err = os.Chmod(p, privateMode)
		}
		if err != nil {
			out = append(out, loose(p, err))
		}
	}
	return out
}

// warning is something Open could not put right but that does not stop it.
type warning = string

func loose(path string, err error) warning {
	return fmt.Sprintf("%s may be readable by other users (it holds every app's private key) and its mode could not be set to %v: %v", path, privateMode, err)
}
