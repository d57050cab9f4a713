package democache

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkos/parkos/internal/civil"
)

// at is a moment in Asia/Shanghai on 2026-12-01.
func at(hour, minute int) time.Time {
	return time.Date(2026, 12, 1, hour, minute, 0, 0, civil.Shanghai)
}

func writing(content string) func(string) error {
	return func(path string) error { return os.WriteFile(path, []byte(content), 0o600) }
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestASnapshotStandsInOnlyWithinTheHourOfTheSameDay(t *testing.T) {
	for _, tc := range []struct {
		name          string
		built, wanted time.Time
		restored      bool
	}{
		{"half an hour later", at(10, 0), at(10, 30), true},
		{"the same second", at(10, 0), at(10, 0), true},
		{"an hour later", at(10, 0), at(11, 0), false},
		{"after midnight, within the hour", at(23, 40), at(23, 40).Add(30 * time.Minute), false},
		{"built after the moment asked for", at(10, 0), at(9, 59), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Cache{dir: t.TempDir(), build: "b1"}
			if err := c.Save(tc.built, writing("the demo")); err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(t.TempDir(), "demo.db")
			ok, err := c.Restore(tc.wanted, dst)
			if err != nil || ok != tc.restored {
				t.Fatalf("Restore = %v, %v; want %v", ok, err, tc.restored)
			}
			got, err := os.ReadFile(dst)
			switch {
			case tc.restored && string(got) != "the demo":
				t.Fatalf("restored %q, %v", got, err)
			case !tc.restored && !errors.Is(err, os.ErrNotExist):
				t.Fatalf("nothing should be copied; the file holds %q (%v)", got, err)
			}
		})
	}
}

func TestTheNewestUsableSnapshotIsTheOneCopied(t *testing.T) {
	c := &Cache{dir: t.TempDir(), build: "b1"}
	for i, content := range []string{"first", "second"} {
		if err := c.Save(at(10, 10*i), writing(content)); err != nil {
			t.Fatal(err)
		}
	}
	dst := filepath.Join(t.TempDir(), "demo.db")
	if ok, err := c.Restore(at(10, 20), dst); !ok || err != nil {
		t.Fatalf("Restore = %v, %v", ok, err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "second" {
		t.Fatalf("restored %q, want the newer snapshot", got)
	}
}

func TestAnotherBinarysSnapshotIsNeverUsed(t *testing.T) {
	dir := t.TempDir()
	if err := (&Cache{dir: dir, build: "older"}).Save(at(10, 0), writing("older binary's demo")); err != nil {
		t.Fatal(err)
	}
	ok, err := (&Cache{dir: dir, build: "newer"}).Restore(at(10, 5), filepath.Join(t.TempDir(), "demo.db"))
	if ok || err != nil {
		t.Fatalf("Restore = %v, %v; another binary's snapshot must not be used", ok, err)
	}
}

func TestASnapshotThatFailsItsChecksumIsRemovedNotUsed(t *testing.T) {
	c := &Cache{dir: t.TempDir(), build: "b1"}
	if err := c.Save(at(10, 0), writing("the demo")); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(c.dir, names(t, c.dir)[0])
	if err := os.WriteFile(snap, []byte("the dema"), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "demo.db")
	if ok, err := c.Restore(at(10, 5), dst); ok || err != nil {
		t.Fatalf("Restore = %v, %v; want no snapshot", ok, err)
	}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the copy of a damaged snapshot was left at %s: %v", dst, err)
	}
	if left := names(t, c.dir); len(left) != 0 {
		t.Fatalf("the damaged snapshot stays: %v", left)
	}
}

func TestRestoreNeverWritesOverAFile(t *testing.T) {
	c := &Cache{dir: t.TempDir(), build: "b1"}
	if err := c.Save(at(10, 0), writing("the demo")); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "parkos.db")
	if err := os.WriteFile(dst, []byte("real data"), 0o600); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.Restore(at(10, 5), dst); ok || err == nil {
		t.Fatalf("Restore = %v, %v; want an error", ok, err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "real data" {
		t.Fatalf("the file now holds %q", got)
	}
}

func TestASaveThatFailsLeavesNothingBehind(t *testing.T) {
	c := &Cache{dir: t.TempDir(), build: "b1"}
	refused := errors.New("disk full")
	err := c.Save(at(10, 0), func(path string) error {
		if err := os.WriteFile(path, []byte("half a dem"), 0o600); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Save = %v, want the writer's error", err)
	}
	if left := names(t, c.dir); len(left) != 0 {
		t.Fatalf("a failed save left %v", left)
	}
}

func TestPruneRemovesWhatNoBinaryCanUse(t *testing.T) {
	dir := t.TempDir()
	mine, theirs := &Cache{dir: dir, build: "mine"}, &Cache{dir: dir, build: "theirs"}
	for _, save := range []struct {
		c       *Cache
		builtAt time.Time
	}{{theirs, at(8, 0)}, {theirs, at(9, 10)}, {mine, at(8, 0)}, {mine, at(9, 30)}} {
		if err := save.c.Save(save.builtAt, writing("a demo")); err != nil {
			t.Fatal(err)
		}
	}
	// What a save killed halfway leaves: one long ago, one that may still be being written.
	for name, age := range map[string]time.Duration{".demo-1.tmp": 2 * time.Hour, ".demo-2.tmp": time.Minute} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("half a demo"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, at(9, 40).Add(-age), at(9, 40).Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	if err := mine.Prune(at(9, 40)); err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, n := range names(t, dir) {
		if parts := strings.Split(n, "-"); len(parts) == 4 {
			n = strings.Join(parts[:3], "-") // without the checksum
		}
		kept = append(kept, n)
	}
	want := []string{".demo-2.tmp", "demo-mine-" + strconv.FormatInt(at(9, 30).Unix(), 10), "demo-theirs-" + strconv.FormatInt(at(9, 10).Unix(), 10)}
	if strings.Join(kept, " ") != strings.Join(want, " ") {
		t.Fatalf("kept %v, want %v", kept, want)
	}
}

func TestASnapshotIsTheUsersAlone(t *testing.T) {
	c := &Cache{dir: filepath.Join(t.TempDir(), "cache"), build: "b1"}
	if err := c.Save(at(10, 0), writing("the demo")); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{c.dir, filepath.Join(c.dir, names(t, c.dir)[0])} {
		if info, err := os.Stat(path); err != nil || info.Mode().Perm()&0o077 != 0 {
			t.Fatalf("%s: %v %v; want it the user's alone", path, info.Mode(), err)
		}
	}
	exe, err := RunningBinary()
	if err != nil {
		t.Fatal(err)
	}
	shared := t.TempDir()
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Open(shared, exe); err == nil || !strings.Contains(err.Error(), "others may write") {
		t.Fatalf("Open of a directory anyone may write in: %v", err)
	}
	if _, ok, err := Open(filepath.Join(shared, "not yet"), exe); !ok || err != nil {
		t.Fatalf("Open of a directory still to be made: %v, %v", ok, err)
	}
}

func TestTheBuildIDIsReadFromTheBinary(t *testing.T) {
	exe, err := RunningBinary()
	if err != nil {
		t.Fatal(err)
	}
	id, err := buildID(exe)
	if err != nil || strings.Count(id, "/") < 1 || strings.ContainsAny(id, "\x00\"") {
		t.Fatalf("build ID of the test binary = %q, %v", id, err)
	}
	c, ok, err := Open(t.TempDir(), exe)
	if !ok || err != nil || len(c.build) != 16 {
		t.Fatalf("Open = %+v, %v, %v", c, ok, err)
	}
	// Other formats than ELF carry the ID after a marker in their first 32 KiB.
	dir := t.TempDir()
	marked := filepath.Join(dir, "parkos.exe")
	head := append(make([]byte, 1000), "\xff Go build ID: \"abc/def\"\n \xff"...)
	if err := os.WriteFile(marked, head, 0o600); err != nil {
		t.Fatal(err)
	}
	if id, err := buildID(marked); id != "abc/def" || err != nil {
		t.Fatalf("marked binary: %q, %v", id, err)
	}
	bare := filepath.Join(dir, "other")
	if err := os.WriteFile(bare, []byte("no build ID here"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := Open(dir, bare); ok || err != nil {
		t.Fatalf("a binary without a build ID: ok %v, %v; want no cache", ok, err)
	}
}
