package backup

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/demo"
	"github.com/parkos/parkos/internal/store"
	"github.com/parkos/parkos/internal/store/sqlstore"
	"github.com/parkos/parkos/internal/store/storetest"
)

// digests are every table's row count and content hash.
func digests(t *testing.T, st *sqlstore.Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	tables, err := st.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, table := range tables {
		n, sum, err := st.TableDigest(ctx, table)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = fmt.Sprintf("%d rows, %s", n, sum)
	}
	return out
}

// The demo — parks to policies, events and bills: every kind of record — backed up while
// served, restored into an empty database: every table the same, row for row. A damaged file,
// a newer schema and a target with data are refused, the last unless forced.
func TestBackupThenRestoreIsIdentical(t *testing.T) {
	ctx := context.Background()
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			st, addr := storetest.Addr(t, eng)
			if err := demo.Load(ctx, app.New(st, civil.SystemClock{})); err != nil {
				t.Fatal(err)
			}
			formats := []string{""}
			if eng.Name == "postgres" {
				formats = []string{FormatDump, FormatCopy}
			}
			for _, format := range formats {
				t.Run(cmp.Or(format, "file"), func(t *testing.T) { backUpAndRestore(t, eng, st, addr, format) })
			}
		})
	}
}

func backUpAndRestore(t *testing.T, eng storetest.Engine, st *sqlstore.Store, addr, format string) {
	ctx := context.Background()
	var file bytes.Buffer
	h, err := Write(ctx, addr, &file, format)
	if err != nil {
		t.Fatal(err)
	}
	if h.Engine != eng.Name || h.SchemaVersion < 36 || h.Size == 0 || h.Format != format {
		t.Fatalf("header: %+v", h)
	}
	target := storetest.EmptyAddr(t, eng, addr)
	if _, err := Restore(ctx, bytes.NewReader(file.Bytes()), target, false); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(target, civil.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	want, got := digests(t, st), digests(t, restored)
	if len(want) < 50 {
		t.Fatalf("only %d tables", len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: restored %q, backed up %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d tables restored, %d backed up", len(got), len(want))
	}

	damaged := bytes.Clone(file.Bytes())
	damaged[len(damaged)-10] ^= 0xff
	if _, err := Restore(ctx, bytes.NewReader(damaged), storetest.EmptyAddr(t, eng, addr), false); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("a damaged file: %v", err)
	}
	newer := bytes.Replace(file.Bytes(), []byte(fmt.Sprintf(`"schema_version":%d`, h.SchemaVersion)), []byte(`"schema_version":999`), 1)
	var schemaErr *sqlstore.NewerSchemaError
	if _, err := Restore(ctx, bytes.NewReader(newer), storetest.EmptyAddr(t, eng, addr), false); !errors.As(err, &schemaErr) {
		t.Errorf("a newer schema: %v", err)
	}
	if _, err := Restore(ctx, bytes.NewReader(file.Bytes()), target, false); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a target with data: %v", err)
	}
	restored.Close()
	if _, err := Restore(ctx, bytes.NewReader(file.Bytes()), target, true); err != nil {
		t.Errorf("forced: %v", err)
	}
}
