package sqlstore

import "context"

// ExecForTest runs a statement on the writer, for tests that set up what no API writes.
func (s *Store) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := conn{s: s, db: s.eng.Writer}.exec(ctx, query, args...)
	return err
}

// HoldCheckpoints keeps the deferred checkpoints from running until the test runs them.
func (s *Store) HoldCheckpoints() (run func()) {
	var held []func()
	s.launchCheckpoint = func(fn func()) { held = append(held, fn) }
	return func() {
		for _, fn := range held {
			fn()
		}
		held = nil
	}
}
