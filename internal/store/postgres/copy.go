package postgres

import (
	"bytes"
	"context"
	"database/sql/driver"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyRows loads rows into table with one COPY … FROM STDIN in text format, on the driver
// connection database/sql lends (sql.Conn.Raw) inside the bulk load's transaction. The server
// parses each value as it parses a text parameter, so a value means what it means in an
// INSERT; one COPY replaces hundreds of multi-row INSERTs (parkos gen).
func copyRows(ctx context.Context, driverConn any, table string, cols []string, rows [][]any) error {
	c, ok := driverConn.(*stdlib.Conn)
	if !ok {
		return fmt.Errorf("copy into %s: not a pgx connection (%T)", table, driverConn)
	}
	names := make([]string, len(cols))
	for i, col := range cols {
		names[i] = pgx.Identifier{col}.Sanitize()
	}
	r := &copyText{table: table, cols: cols, rows: rows}
	_, err := c.Conn().PgConn().CopyFrom(ctx, r, "COPY "+pgx.Identifier{table}.Sanitize()+" ("+strings.Join(names, ", ")+") FROM STDIN")
	if r.err != nil {
		return r.err
	}
	return err
}

// copyText encodes rows as COPY's text format a few hundred at a time, as the server reads.
type copyText struct {
	table string
	cols  []string
	rows  [][]any
	next  int
	buf   bytes.Buffer
	err   error
}

func (r *copyText) Read(p []byte) (int, error) {
	for r.buf.Len() < len(p) && r.next < len(r.rows) && r.err == nil {
		row := r.rows[r.next]
		if len(row) != len(r.cols) {
			r.err = fmt.Errorf("copy into %s: row %d has %d values for %d columns", r.table, r.next+1, len(row), len(r.cols))
			break
		}
		for i, v := range row {
			if i > 0 {
				r.buf.WriteByte('\t')
			}
			if err := appendCopyValue(&r.buf, v); err != nil {
				r.err = fmt.Errorf("copy into %s, column %s: %w", r.table, r.cols[i], err)
				break
			}
		}
		r.buf.WriteByte('\n')
		r.next++
	}
	if r.err != nil {
		return 0, r.err
	}
	return r.buf.Read(p)
}

// appendCopyValue writes v as COPY text: \N for NULL, text with backslash, tab and line
// breaks escaped, numbers and booleans as PostgreSQL reads them, times with their offset.
func appendCopyValue(b *bytes.Buffer, v any) error {
	if valuer, ok := v.(driver.Valuer); ok {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			v = nil
		} else {
			var err error
			if v, err = valuer.Value(); err != nil {
				return err
			}
		}
	}
	switch x := v.(type) {
	case nil:
		b.WriteString(`\N`)
	case string:
		appendCopyString(b, x)
	case []byte:
		if x == nil {
			b.WriteString(`\N`)
			break
		}
		b.WriteString(`\\x`)
		fmt.Fprintf(b, "%x", x)
	case bool:
		if x {
			b.WriteByte('t')
		} else {
			b.WriteByte('f')
		}
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case time.Time:
		b.WriteString(x.Format("2006-01-02 15:04:05.999999999-07:00"))
	default:
		// Named types (a status, a kind) are written as the value underneath.
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.String:
			appendCopyString(b, rv.String())
		case reflect.Bool:
			return appendCopyValue(b, rv.Bool())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			b.WriteString(strconv.FormatInt(rv.Int(), 10))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			b.WriteString(strconv.FormatUint(rv.Uint(), 10))
		case reflect.Float32, reflect.Float64:
			b.WriteString(strconv.FormatFloat(rv.Float(), 'g', -1, 64))
		default:
			return fmt.Errorf("a %T cannot be copied", v)
		}
	}
	return nil
}

func appendCopyString(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
}
