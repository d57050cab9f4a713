package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parkos/parkos/internal/civil"
)

// BenchmarkMigrateFresh brings an empty database file to the current schema, as every start on
// a new database (the demo's included) does first.
func BenchmarkMigrateFresh(b *testing.B) {
	for range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "p.db")
		b.StartTimer()
		st, err := Open(path, civil.SystemClock{})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Migrate(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}
