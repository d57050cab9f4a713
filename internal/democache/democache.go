// Package democache keeps the demo database that `parkos demo` built, so that the next start
// within the hour copies it instead of writing the whole data set through the services again
// (§12: start-up to ready < 1 s; the build takes 1.4–2 s on a 2-core machine, the copy
// milliseconds).
//
// A snapshot is only ever used by the binary that built it (its Go build ID is in the name),
// on the same day in Asia/Shanghai and within an hour of its build: the demo places follow-ups,
// holds, bills and events around its today, and service requests hours before its now, so an
// older copy would not hold what a fresh build holds. Within the hour a copy is the demo as
// it stood right after its build, taken before it served anyone. The name carries the
// copy's SHA-256, and a file that does not match it is removed, never used.
package democache

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/civil"
)

// MaxAge is how long after its build a snapshot may stand in for a fresh build.
const MaxAge = time.Hour

// Cache is the directory of one binary's snapshots.
type Cache struct {
	dir   string
	build string // a digest of the binary's Go build ID
}

// Open is the cache in dir for the binary at exe (RunningBinary). It refuses a directory that
// is not the user's own private one, and reports false, with no error, when the binary carries
// no Go build ID (built with -buildid=): no snapshot could then be told apart from another
// binary's.
func Open(dir, exe string) (*Cache, bool, error) {
	if info, err := os.Stat(dir); err == nil && !private(info) {
		return nil, false, fmt.Errorf("demo cache %s is another user's or others may write in it: a snapshot found there could be anyone's", dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	id, err := buildID(exe)
	if err != nil {
		return nil, false, err
	}
	if id == "" {
		return nil, false, nil
	}
	sum := sha256.Sum256([]byte(id))
	return &Cache{dir: dir, build: hex.EncodeToString(sum[:8])}, true, nil
}

// snapshot is one file of the cache: demo-BUILD-UNIXSECONDS-SHA256.db.
type snapshot struct {
	build   string
	path    string
	builtAt time.Time
	sum     string
}

// usable reports whether s may stand in for a demo built at now.
func (s snapshot) usable(now time.Time) bool {
	age := now.Sub(s.builtAt)
	return age >= 0 && age < MaxAge && civil.FromTime(s.builtAt) == civil.FromTime(now)
}

// snapshots are the cache's files, every binary's, whatever their age.
func (c *Cache) snapshots() ([]snapshot, error) {
	entries, err := os.ReadDir(c.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []snapshot
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), "demo-")
		if !ok || !strings.HasSuffix(rest, ".db") {
			continue
		}
		parts := strings.Split(strings.TrimSuffix(rest, ".db"), "-")
		if len(parts) != 3 || len(parts[2]) != 2*sha256.Size {
			continue
		}
		secs, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil {
			continue
		}
		out = append(out, snapshot{build: parts[0], path: filepath.Join(c.dir, e.Name()), builtAt: time.Unix(secs, 0), sum: parts[2]})
	}
	return out, nil
}

// Restore copies the newest snapshot usable at now to dst, a file that must not exist yet. It
// reports false when there is none; a snapshot whose content does not match its checksum is
// removed, and so is what was copied of it.
func (c *Cache) Restore(now time.Time, dst string) (bool, error) {
	all, err := c.snapshots()
	if err != nil {
		return false, err
	}
	var best *snapshot
	for i, s := range all {
		if s.build == c.build && s.usable(now) && (best == nil || s.builtAt.After(best.builtAt)) {
			best = &all[i]
		}
	}
	if best == nil {
		return false, nil
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return false, err
	}
	sum, err := copySum(out, best.path)
	if closeErr := out.Close(); err == nil {
		err = closeErr
	}
	if err != nil || sum != best.sum {
		os.Remove(dst)
	}
	switch {
	case errors.Is(err, os.ErrNotExist):
		return false, nil // pruned by another start since it was listed
	case err != nil:
		return false, err
	case sum != best.sum:
		os.Remove(best.path)
		return false, nil
	}
	return true, nil
}

// Save stores as the snapshot built at builtAt the database that write puts in the empty
// file at the path it is given (a consistent copy). The snapshot appears under its final name
// whole or not at all.
func (c *Cache) Save(builtAt time.Time, write func(path string) error) error {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(c.dir, tmpPattern)
	if err != nil {
		return err
	}
	tmpPath := tmp.Name()
	defer os.Remove(tmpPath)
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := write(tmpPath); err != nil {
		return err
	}
	sum, err := copySum(io.Discard, tmpPath)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("demo-%s-%d-%s.db", c.build, builtAt.Unix(), sum)
	return os.Rename(tmpPath, filepath.Join(c.dir, name))
}

// tmpPattern names a snapshot being written.
const tmpPattern = ".demo-*.tmp"

// Prune removes what can no longer be used at now, whichever binary wrote it: snapshots too
// old, and files a save that was killed left behind. Every build has a build ID of its own,
// so without this each one would leave its ten megabytes.
func (c *Cache) Prune(now time.Time) error {
	all, err := c.snapshots()
	if err != nil {
		return err
	}
	var stale []string
	for _, s := range all {
		if !s.usable(now) && s.builtAt.Before(now) {
			stale = append(stale, s.path)
		}
	}
	temps, err := filepath.Glob(filepath.Join(c.dir, tmpPattern))
	if err != nil {
		return err
	}
	for _, path := range temps {
		if info, err := os.Lstat(path); err == nil && now.Sub(info.ModTime()) > MaxAge {
			stale = append(stale, path)
		}
	}
	var errs []error
	for _, path := range stale {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// copySum copies the file at path to w and returns the SHA-256 of what it copied.
func copySum(w io.Writer, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(w, h), f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// RunningBinary is the file to read the running binary's build ID from: on Linux the image
// the process runs, even if its file was replaced since it started.
func RunningBinary() (string, error) {
	if _, err := os.Stat("/proc/self/exe"); err == nil {
		return "/proc/self/exe", nil
	}
	return os.Executable()
}

// goBuildIDMarker starts the build ID the Go linker writes near the start of the text of
// binaries other than ELF ones (cmd/internal/buildid reads it the same way).
var goBuildIDMarker = []byte("\xff Go build ID: \"")

// buildID is the Go build ID of the binary at exe, or "" when it has none: from the ELF note
// Go writes (.note.go.buildid), or else from the marker in the first 32 KiB.
func buildID(exe string) (string, error) {
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		sec := f.Section(".note.go.buildid")
		if sec == nil {
			return "", nil
		}
		note, err := sec.Data()
		if err != nil {
			return "", err
		}
		// A note: name size, description size, type (4 bytes each), "Go\x00\x00", the ID.
		if len(note) < 16 || !bytes.Equal(note[12:16], []byte("Go\x00\x00")) {
			return "", nil
		}
		size := f.ByteOrder.Uint32(note[4:8])
		if uint64(size) > uint64(len(note)-16) {
			return "", nil
		}
		return string(note[16 : 16+size]), nil
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 32<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", err
	}
	head = head[:n]
	i := bytes.Index(head, goBuildIDMarker)
	if i < 0 {
		return "", nil
	}
	id, _, ok := bytes.Cut(head[i+len(goBuildIDMarker):], []byte(`"`))
	if !ok {
		return "", nil
	}
	return string(id), nil
}
