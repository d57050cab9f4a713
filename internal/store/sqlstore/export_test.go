package sqlstore

import "context"

// ExecForTest runs a statement on the writer, for tests that set up what no API writes.
func (s *Store) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := conn{s: s, db: s.eng.Writer}.exec(ctx, query, args...)
	return err
}
