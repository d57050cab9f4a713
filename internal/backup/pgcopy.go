package backup

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/parkos/parkos/internal/store/sqlstore"
)

// The "copy" format is ParkOS's own export of a PostgreSQL database, for a machine without
// pg_dump: every table of the store's schema read in one REPEATABLE READ snapshot as
// PostgreSQL's binary COPY, parents before the tables that refer to them. Each table is a line
// "table NAME\n" and its COPY stream in chunks, each a line with its length and its bytes, a
// chunk of length 0 ending the table. A restore builds the schema with the binary's own
// migrations, so it takes a file of exactly the binary's schema version.

const chunkSize = 1 << 20

// pgCopyOut writes the export of the database at addr into path.
func pgCopyOut(ctx context.Context, addr, path string) error {
	conn, err := pgx.Connect(ctx, addr)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	tables, err := tablesInLoadOrder(ctx, tx)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(f, chunkSize)
	for _, t := range tables {
		if _, err := fmt.Fprintf(out, "table %s\n", t); err != nil {
			break
		}
		frames := &chunker{w: out}
		if _, err = conn.PgConn().CopyTo(ctx, frames, "COPY "+pgx.Identifier{t}.Sanitize()+" TO STDOUT (FORMAT binary)"); err == nil {
			err = frames.end()
		}
		if err != nil {
			f.Close()
			return fmt.Errorf("exporting %s: %w", t, err)
		}
	}
	if err := out.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// pgCopyIn loads an export into the store's database: the schema is dropped (it is empty, or
// the restore was forced), made again by the migrations, and — with ParkOS's own triggers off,
// so that nothing is refused or derived twice — emptied of what they seed and filled table by
// table, the references checked at the commit.
func pgCopyIn(ctx context.Context, st *sqlstore.Store, addr, path string, version int) error {
	known, err := st.KnownSchemaVersion()
	if err != nil {
		return err
	}
	if version != known {
		return fmt.Errorf("this backup was exported at schema version %d and restores only into version %d; use the binary of that version (本格式的备份只能由同一表结构版本的程序恢复)", version, known)
	}
	_, schema, err := libpqURL(ctx, st, addr)
	if err != nil {
		return err
	}
	if err := st.DropSchema(ctx, schema); err != nil {
		return err
	}
	if err := st.CreateSchema(ctx, schema); err != nil {
		return err
	}
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	conn, err := pgx.Connect(ctx, addr)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, "SET CONSTRAINTS ALL DEFERRED"); err != nil {
		return err
	}
	tables, err := tablesInLoadOrder(ctx, tx)
	if err != nil {
		return err
	}
	quoted := make([]string, len(tables))
	for i, t := range tables {
		quoted[i] = pgx.Identifier{t}.Sanitize()
	}
	for _, q := range quoted {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+q+" DISABLE TRIGGER USER"); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, "TRUNCATE "+strings.Join(quoted, ", ")); err != nil {
		return err
	}
	in := bufio.NewReaderSize(f, chunkSize)
	for {
		line, err := in.ReadString('\n')
		if errors.Is(err, io.EOF) && line == "" {
			break
		}
		name, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "table ")
		if err != nil || !ok || !slices.Contains(tables, name) {
			return fmt.Errorf("the export names a table %q this schema does not have (导出文件与表结构不符)", name)
		}
		if _, err := conn.PgConn().CopyFrom(ctx, &dechunker{r: in}, "COPY "+pgx.Identifier{name}.Sanitize()+" FROM STDIN (FORMAT binary)"); err != nil {
			return fmt.Errorf("restoring %s: %w", name, err)
		}
	}
	// The references are checked now, before the triggers come back on.
	if _, err := tx.Exec(ctx, "SET CONSTRAINTS ALL IMMEDIATE"); err != nil {
		return err
	}
	for _, q := range quoted {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+q+" ENABLE TRIGGER USER"); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// tablesInLoadOrder lists the schema's tables, each after every table it refers to through a
// reference that cannot wait for the commit (deferrable ones are checked there; a table's
// references to itself at the end of its own COPY).
func tablesInLoadOrder(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT c.relname, COALESCE(r.relname, '') FROM pg_class c
		LEFT JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'f' AND NOT k.condeferrable
		LEFT JOIN pg_class r ON r.oid = k.confrelid AND r.oid <> c.oid
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
		ORDER BY c.relname, r.relname`)
	if err != nil {
		return nil, err
	}
	refers := map[string][]string{}
	var names []string
	for rows.Next() {
		var t, parent string
		if err := rows.Scan(&t, &parent); err != nil {
			rows.Close()
			return nil, err
		}
		if _, seen := refers[t]; !seen {
			names = append(names, t)
			refers[t] = nil
		}
		if parent != "" {
			refers[t] = append(refers[t], parent)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var order []string
	state := map[string]int{} // 1 visiting, 2 placed
	var visit func(t string) error
	visit = func(t string) error {
		switch state[t] {
		case 1:
			return fmt.Errorf("tables refer to each other in a cycle through %s", t)
		case 2:
			return nil
		}
		state[t] = 1
		for _, p := range refers[t] {
			if err := visit(p); err != nil {
				return err
			}
		}
		state[t] = 2
		order = append(order, t)
		return nil
	}
	for _, t := range names {
		if err := visit(t); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// chunker frames a stream as length-prefixed chunks.
type chunker struct {
	w   *bufio.Writer
	buf []byte
}

func (c *chunker) Write(p []byte) (int, error) {
	c.buf = append(c.buf, p...)
	for len(c.buf) >= chunkSize {
		if err := c.flush(c.buf[:chunkSize]); err != nil {
			return 0, err
		}
		c.buf = c.buf[chunkSize:]
	}
	return len(p), nil
}

func (c *chunker) flush(b []byte) error {
	if _, err := c.w.WriteString(strconv.Itoa(len(b)) + "\n"); err != nil {
		return err
	}
	_, err := c.w.Write(b)
	return err
}

// end writes what is left and the closing empty chunk.
func (c *chunker) end() error {
	if len(c.buf) > 0 {
		if err := c.flush(c.buf); err != nil {
			return err
		}
	}
	return c.flush(nil)
}

// dechunker reads one table's chunks back as its COPY stream.
type dechunker struct {
	r    *bufio.Reader
	left int
	done bool
}

func (d *dechunker) Read(p []byte) (int, error) {
	for d.left == 0 {
		if d.done {
			return 0, io.EOF
		}
		line, err := d.r.ReadString('\n')
		if err != nil {
			return 0, errors.New("the export ends inside a table (导出文件不完整)")
		}
		n, err := strconv.Atoi(strings.TrimSuffix(line, "\n"))
		if err != nil || n < 0 || n > chunkSize {
			return 0, errors.New("the export's framing is damaged (导出文件已损坏)")
		}
		if n == 0 {
			d.done = true
			return 0, io.EOF
		}
		d.left = n
	}
	if len(p) > d.left {
		p = p[:d.left]
	}
	n, err := io.ReadFull(d.r, p)
	d.left -= n
	if err != nil {
		return n, errors.New("the export ends inside a table (导出文件不完整)")
	}
	return n, nil
}
