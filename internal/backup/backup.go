// Package backup writes and restores a whole ParkOS database while the server keeps serving
// (§13): SQLite through VACUUM INTO, PostgreSQL through pg_dump's consistent snapshot or, on a
// machine without pg_dump, an export of its own from one snapshot (pgcopy.go). A backup
// file is a header line — the engine, the schema version and the SHA-256 of what follows — and
// the engine's own copy. Restore refuses a file whose checksum fails, a file of a newer schema
// than the binary knows, and a target that holds data unless forced.
package backup

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/store"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// magic opens every backup file.
const magic = "PARKOS-BACKUP 1\n"

// Header describes a backup.
type Header struct {
	Engine string `json:"engine"`
	// Format of a PostgreSQL backup: FormatDump (pg_dump's custom format) or FormatCopy.
	Format        string    `json:"format,omitempty"`
	SchemaVersion int       `json:"schema_version"`
	CreatedAt     time.Time `json:"created_at"`
	Size          int64     `json:"size"`
	SHA256        string    `json:"sha256"`
}

// The formats of a PostgreSQL backup.
const (
	FormatDump = "pg_dump"
	FormatCopy = "copy"
)

// Write backs up the database at addr into out. format chooses how PostgreSQL is read:
// FormatDump, FormatCopy, or "" for pg_dump when the machine has it and the own export if not.
func Write(ctx context.Context, addr string, out io.Writer, format string) (Header, error) {
	st, err := store.Open(addr, civil.SystemClock{})
	if err != nil {
		return Header{}, err
	}
	defer st.Close()
	h := Header{Engine: st.Engine(), CreatedAt: time.Now().UTC()}
	if h.SchemaVersion, err = st.SchemaVersion(ctx); err != nil {
		return h, err
	}
	if h.SchemaVersion == 0 {
		return h, errors.New("the database holds no ParkOS schema: nothing to back up")
	}
	tmp, err := os.MkdirTemp("", "parkos-backup-")
	if err != nil {
		return h, err
	}
	defer os.RemoveAll(tmp)
	copyPath := filepath.Join(tmp, "payload")
	switch {
	case h.Engine == "sqlite":
		err = st.VacuumInto(ctx, copyPath)
	case format == FormatCopy, format == "" && !hasPGTool("pg_dump"):
		h.Format = FormatCopy
		err = pgCopyOut(ctx, addr, copyPath)
	case format == FormatDump, format == "":
		h.Format = FormatDump
		err = pgDump(ctx, st, addr, copyPath)
	default:
		err = fmt.Errorf("--format %q: want pg_dump or copy", format)
	}
	if err != nil {
		return h, err
	}
	if h.SHA256, h.Size, err = checksum(copyPath); err != nil {
		return h, err
	}
	head, err := json.Marshal(h)
	if err != nil {
		return h, err
	}
	if _, err := io.WriteString(out, magic+string(head)+"\n"); err != nil {
		return h, err
	}
	f, err := os.Open(copyPath)
	if err != nil {
		return h, err
	}
	defer f.Close()
	_, err = io.Copy(out, f)
	return h, err
}

// Restore reads a backup from in into the database at addr: refused when the file is damaged
// or of a newer schema, or when the target holds data and force is false.
func Restore(ctx context.Context, in io.Reader, addr string, force bool) (Header, error) {
	r := bufio.NewReader(in)
	var h Header
	first, err := r.ReadString('\n')
	if err != nil || first != magic {
		return h, errors.New("not a ParkOS backup (不是 ParkOS 备份文件)")
	}
	line, err := r.ReadBytes('\n')
	if err != nil || json.Unmarshal(line, &h) != nil || h.Engine == "" || h.SHA256 == "" {
		return h, errors.New("the backup's header is damaged (备份文件头已损坏)")
	}
	tmp, err := os.MkdirTemp("", "parkos-restore-")
	if err != nil {
		return h, err
	}
	defer os.RemoveAll(tmp)
	payload := filepath.Join(tmp, "payload")
	if err := save(r, payload); err != nil {
		return h, err
	}
	if sum, size, err := checksum(payload); err != nil {
		return h, err
	} else if sum != h.SHA256 || size != h.Size {
		return h, errors.New("the backup's checksum does not match: the file is damaged or incomplete (备份校验失败，文件已损坏或不完整)")
	}
	st, err := store.Open(addr, civil.SystemClock{})
	if err != nil {
		return h, err
	}
	if st.Engine() != h.Engine {
		st.Close()
		return h, fmt.Errorf("the backup is of %s, the target is %s (备份与目标数据库引擎不同)", h.Engine, st.Engine())
	}
	known, err := st.KnownSchemaVersion()
	if err == nil && h.SchemaVersion > known {
		err = &sqlstore.NewerSchemaError{Database: h.SchemaVersion, Binary: known}
	}
	if err == nil {
		err = refuseData(ctx, st, force)
	}
	if err != nil {
		st.Close()
		return h, err
	}
	if h.Engine == "sqlite" {
		if err := st.Close(); err != nil {
			return h, err
		}
		return h, replaceFile(payload, strings.TrimPrefix(addr, "sqlite:"))
	}
	defer st.Close()
	if h.Format == FormatCopy {
		return h, pgCopyIn(ctx, st, addr, payload, h.SchemaVersion)
	}
	return h, pgRestore(ctx, st, addr, payload)
}

// refuseData refuses a target with any table of ParkOS's (or, on PostgreSQL, any table in its
// schema) unless forced.
func refuseData(ctx context.Context, st *sqlstore.Store, force bool) error {
	tables, err := st.Tables(ctx)
	if err != nil || len(tables) == 0 || force {
		return err
	}
	return fmt.Errorf("the target database is not empty (%d tables): restore into an empty one, or pass --force to replace it (目标数据库非空)", len(tables))
}

func save(r io.Reader, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func checksum(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

// replaceFile puts the restored SQLite file in place of the target, with its write-ahead log
// and shared memory gone so that nothing of the old database is replayed into it.
func replaceFile(from, to string) error {
	dir := filepath.Dir(to)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	staged := to + ".restoring"
	if err := copyFile(from, staged); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(to + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return os.Rename(staged, to)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// pgDump writes a custom-format dump of the store's schema: one consistent snapshot.
func pgDump(ctx context.Context, st *sqlstore.Store, addr, path string) error {
	bin, err := pgTool("pg_dump")
	if err != nil {
		return err
	}
	conn, schema, err := libpqURL(ctx, st, addr)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--no-owner", "--no-privileges", "--schema="+schema, "--file="+path, "--dbname="+conn)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_dump: %v: %s", err, out)
	}
	return nil
}

// pgRestore loads a dump into the store's database: its schema is dropped first (it is empty,
// or the restore was forced) and comes back whole from the dump. Triggers are made after the
// rows are in, so restoring fires none.
func pgRestore(ctx context.Context, st *sqlstore.Store, addr, path string) error {
	bin, err := pgTool("pg_restore")
	if err != nil {
		return err
	}
	conn, schema, err := libpqURL(ctx, st, addr)
	if err != nil {
		return err
	}
	if err := st.DropSchema(ctx, schema); err != nil {
		return err
	}
	// The schema and its tables first; then the extensions (dropped with the public schema),
	// which the constraints that follow the rows need.
	restore := func(sections ...string) error {
		args := []string{"--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname=" + conn}
		for _, s := range sections {
			args = append(args, "--section="+s)
		}
		if out, err := exec.CommandContext(ctx, bin, append(args, path)...).CombinedOutput(); err != nil {
			return fmt.Errorf("pg_restore: %v: %s", err, out)
		}
		return nil
	}
	if err := restore("pre-data"); err != nil {
		return err
	}
	if err := st.EnsureExtensions(ctx); err != nil {
		return err
	}
	return restore("data", "post-data")
}

// libpqURL is addr as libpq takes it — without the search_path parameter only the Go driver
// knows — and the schema the store uses.
func libpqURL(ctx context.Context, st *sqlstore.Store, addr string) (string, string, error) {
	schema, err := st.CurrentSchema(ctx)
	if err != nil {
		return "", "", err
	}
	u, err := url.Parse(addr)
	if err != nil {
		return "", "", err
	}
	q := u.Query()
	if want := q.Get("search_path"); want != "" {
		schema = want
	}
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), schema, nil
}

// pgTool finds a PostgreSQL client program: on PATH, else the newest of Debian's versioned
// directories.
func pgTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	sort.Slice(found, func(i, j int) bool { return versionOf(found[i]) > versionOf(found[j]) })
	if len(found) > 0 {
		return found[0], nil
	}
	return "", fmt.Errorf("%s not found: install PostgreSQL's client programs (Debian: postgresql-client) of the server's version or newer", name)
}

func hasPGTool(name string) bool {
	_, err := pgTool(name)
	return err == nil
}

func versionOf(path string) int {
	var v int
	fmt.Sscanf(filepath.Base(filepath.Dir(filepath.Dir(path))), "%d", &v)
	return v
}
