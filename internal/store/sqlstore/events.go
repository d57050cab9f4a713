package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/page"
)

// CheckEventPark resolves a park the caller sees (staff: their parks).
func (s *Store) CheckEventPark(ctx context.Context, sc identity.Scope, parkID string) error {
	_, err := s.getPark(ctx, s.read(ctx), sc, parkID)
	return err
}

// UnseenEnterprises are the ids that name no enterprise the caller sees.
func (s *Store) UnseenEnterprises(ctx context.Context, sc identity.Scope, ids []string) ([]string, error) {
	return s.unmatched(ctx, ids, func(c conn, chunk []string) (*sql.Rows, error) {
		cond, args := enterpriseScope(sc, "e.id")
		return c.query(ctx, `SELECT e.id FROM enterprises e WHERE e.id IN (`+bindParams(len(chunk))+`) AND `+cond, append(anySlice(chunk), args...)...)
	})
}

// eventScope: staff see their parks' events; an enterprise's users the open events, those of
// the parks it is in for tenants, and those it is invited to; the authority every event.
func eventScope(sc identity.Scope) (string, []any) {
	switch {
	case sc.AllParks():
		return "1=1", nil
	case sc.Role.IsOperator():
		return parkScope(sc, "v.park_id", false)
	case sc.Role.IsEnterprise():
		return `(v.audience = 'open'
			OR v.audience = 'tenants' AND v.park_id IN (SELECT pe.park_id FROM park_enterprises pe WHERE pe.enterprise_id = ?)
			OR v.audience = 'invited' AND EXISTS (SELECT 1 FROM event_invitations i WHERE i.event_id = v.id AND i.enterprise_id = ?))`,
			[]any{sc.EnterpriseID, sc.EnterpriseID}
	}
	return "1=0", nil
}

const eventCols = `v.id, v.park_id, p.name_zh, v.title, v.kind, v.description, v.starts_at, v.ends_at, COALESCE(v.resource_id, ''), COALESCE(r.name, ''),
	COALESCE(v.booking_id, ''), v.location, v.capacity, v.audience, v.waitlist, v.status, v.organizer, v.created_at, v.updated_at,
	(SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = v.id AND g.status = 'registered'),
	(SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = v.id AND g.status = 'waitlisted'),
	(SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = v.id AND g.status = 'registered' AND g.checked_in_at IS NOT NULL)`

const eventFrom = ` FROM events v JOIN parks p ON p.id = v.park_id LEFT JOIN facility_resources r ON r.id = v.resource_id`

func scanEvent(row scanner) (event.Event, error) {
	var e event.Event
	err := row.Scan(&e.ID, &e.ParkID, &e.ParkName, &e.Title, &e.Kind, &e.Description, &e.StartsAt, &e.EndsAt, &e.ResourceID, &e.VenueName,
		&e.BookingID, &e.Location, &e.Capacity, &e.Audience, &e.Waitlist, &e.Status, &e.Organizer, &e.CreatedAt, &e.UpdatedAt,
		&e.Registered, &e.Waitlisted, &e.CheckedIn)
	e.Invited = []string{}
	return e, err
}

// InsertEvent writes a new event and its invitations, in the transaction of ctx.
func (s *Store) InsertEvent(ctx context.Context, e event.Event) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	if _, err := c.exec(ctx, `INSERT INTO events (id, park_id, title, kind, description, starts_at, ends_at, resource_id, booking_id, location,
		capacity, audience, waitlist, status, organizer, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.ParkID, e.Title, e.Kind, e.Description, e.StartsAt, e.EndsAt, nullable(e.ResourceID), nullable(e.BookingID), e.Location,
		e.Capacity, e.Audience, e.Waitlist, e.Status, e.Organizer, e.CreatedAt, e.UpdatedAt); err != nil {
		return err
	}
	for _, id := range e.Invited {
		if _, err := c.exec(ctx, `INSERT INTO event_invitations (event_id, park_id, enterprise_id) VALUES (?, ?, ?)`, e.ID, e.ParkID, id); err != nil {
			return err
		}
	}
	return nil
}

// SaveEvent writes an event's status, in the transaction of ctx.
func (s *Store) SaveEvent(ctx context.Context, e event.Event) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE events SET status = ?, updated_at = ? WHERE id = ?`, e.Status, e.UpdatedAt, e.ID)
	return err
}

// GetEvent reads an event in the caller's scope.
func (s *Store) GetEvent(ctx context.Context, sc identity.Scope, id string) (event.Event, error) {
	return s.getEvent(ctx, s.read(ctx), sc, id)
}

func (s *Store) getEvent(ctx context.Context, c conn, sc identity.Scope, id string) (event.Event, error) {
	cond, args := eventScope(sc)
	e, err := scanEvent(c.queryRow(ctx, `SELECT `+eventCols+eventFrom+` WHERE v.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("活动", "event")
	}
	if err != nil {
		return e, err
	}
	err = eachRow(ctx, c, `SELECT enterprise_id FROM event_invitations WHERE event_id = ? ORDER BY enterprise_id`, []any{id}, func(r scanner) error {
		var x string
		err := r.Scan(&x)
		e.Invited = append(e.Invited, x)
		return err
	})
	return e, err
}

// LockEvent locks and reads an event, in the transaction of ctx: registrations of one event
// queue, so its places are never given twice.
func (s *Store) LockEvent(ctx context.Context, sc identity.Scope, id string) (event.Event, error) {
	return lockedRead(ctx, s, sc, "events", id, s.getEvent)
}

// ListEvents lists events in the caller's scope by start.
func (s *Store) ListEvents(ctx context.Context, sc identity.Scope, f event.Filter, req page.Request) (page.Page[event.Event], error) {
	cond, args := eventScope(sc)
	l := listQuery[event.Event]{
		selectFrom: `SELECT ` + eventCols + eventFrom,
		idExpr:     "v.id",
		sorts:      []sortKey[event.Event]{{"starts", "v.starts_at", func(e event.Event) any { return e.StartsAt }}},
		scan:       byValue(func(r *sql.Rows) (event.Event, error) { return scanEvent(r) }),
		id:         func(e event.Event) string { return e.ID },
	}
	l.filter(cond, args...)
	if f.ParkID != "" {
		l.filter("v.park_id = ?", f.ParkID)
	}
	if f.Kind != "" {
		l.filter("v.kind = ?", f.Kind)
	}
	if !f.From.IsZero() {
		l.filter("v.ends_at > ?", f.From)
	}
	if !f.To.IsZero() {
		l.filter("v.starts_at < ?", f.To)
	}
	return l.run(ctx, s.read(ctx), req)
}

const registrationCols = `g.id, g.event_id, v.title, v.park_id, g.kind, g.username, COALESCE(g.enterprise_id, ''), COALESCE(n.name, ''), g.guest_name,
	g.guest_org, g.guest_phone, g.status, g.code, g.checked_in_at, g.registered_by, v.starts_at, v.ends_at, g.created_at, g.updated_at`

const registrationFrom = ` FROM event_registrations g JOIN events v ON v.id = g.event_id LEFT JOIN enterprises n ON n.id = g.enterprise_id`

func scanRegistration(row scanner) (event.Registration, error) {
	var r event.Registration
	var checked sql.NullTime
	err := row.Scan(&r.ID, &r.EventID, &r.EventTitle, &r.ParkID, &r.Kind, &r.Username, &r.EnterpriseID, &r.Enterprise, &r.GuestName,
		&r.GuestOrg, &r.GuestPhone, &r.Status, &r.Code, &checked, &r.RegisteredBy, &r.StartsAt, &r.EndsAt, &r.CreatedAt, &r.UpdatedAt)
	if checked.Valid {
		t := checked.Time
		r.CheckedInAt = &t
	}
	return r, err
}

// registrationScope: an enterprise's users see its registrations; staff their parks' events';
// the authority all.
func registrationScope(sc identity.Scope) (string, []any) {
	switch {
	case sc.AllParks():
		return "1=1", nil
	case sc.Role.IsOperator():
		return parkScope(sc, "v.park_id", false)
	case sc.Role.IsEnterprise():
		return "g.enterprise_id = ?", []any{sc.EnterpriseID}
	}
	return "1=0", nil
}

// InsertRegistration writes a registration, in the transaction of ctx.
func (s *Store) InsertRegistration(ctx context.Context, r event.Registration) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	park, err := ownerOf(ctx, c, "events", "park_id", r.EventID)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO event_registrations (id, event_id, park_id, kind, username, enterprise_id, guest_name, guest_org, guest_phone, status,
		code, registered_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.EventID, park, r.Kind, r.Username, nullable(r.EnterpriseID), r.GuestName, r.GuestOrg, r.GuestPhone, r.Status, r.Code, r.RegisteredBy, r.CreatedAt, r.UpdatedAt)
	return s.constraintError(err, "event_id", "您已报名该活动", "you are registered for this event already")
}

// SaveRegistration writes a registration's status, in the transaction of ctx.
func (s *Store) SaveRegistration(ctx context.Context, r event.Registration) error {
	c, err := s.txConn(ctx)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `UPDATE event_registrations SET status = ?, updated_at = ? WHERE id = ?`, r.Status, r.UpdatedAt, r.ID)
	return err
}

// GetRegistration reads a registration in the caller's scope.
func (s *Store) GetRegistration(ctx context.Context, sc identity.Scope, id string) (event.Registration, error) {
	return s.getRegistration(ctx, s.read(ctx), sc, id)
}

func (s *Store) getRegistration(ctx context.Context, c conn, sc identity.Scope, id string) (event.Registration, error) {
	cond, args := registrationScope(sc)
	r, err := scanRegistration(c.queryRow(ctx, `SELECT `+registrationCols+registrationFrom+` WHERE g.id = ? AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("报名", "registration")
	}
	return r, err
}

// LockRegistration locks and reads a registration, in the transaction of ctx.
func (s *Store) LockRegistration(ctx context.Context, sc identity.Scope, id string) (event.Registration, error) {
	return lockedRead(ctx, s, sc, "event_registrations", id, s.getRegistration)
}

// RegistrationByCode is the registration of an event with a check-in code.
func (s *Store) RegistrationByCode(ctx context.Context, eventID, code string) (event.Registration, error) {
	r, err := scanRegistration(s.read(ctx).queryRow(ctx, `SELECT `+registrationCols+registrationFrom+` WHERE g.event_id = ? AND g.code = ?`, eventID, code))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("报名", "registration")
	}
	return r, err
}

// EventRegistrations are an event's registrations in order of registration.
func (s *Store) EventRegistrations(ctx context.Context, eventID string) ([]event.Registration, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT `+registrationCols+registrationFrom+` WHERE g.event_id = ? ORDER BY g.created_at, g.id`, eventID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanRegistration)
}

// MyRegistrations are a user's live registrations of events ending after a time.
func (s *Store) MyRegistrations(ctx context.Context, username string, after time.Time) ([]event.Registration, error) {
	rows, err := s.read(ctx).query(ctx, `SELECT `+registrationCols+registrationFrom+` WHERE g.kind = 'user' AND g.username = ? AND g.status <> 'cancelled'
		AND v.ends_at > ? ORDER BY v.starts_at, g.id`, username, after)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanRegistration)
}

// MarkCheckedIn sets a registration's check-in once, in the transaction of ctx.
func (s *Store) MarkCheckedIn(ctx context.Context, id string, at time.Time) (bool, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return false, err
	}
	res, err := c.exec(ctx, `UPDATE event_registrations SET checked_in_at = ?, updated_at = ? WHERE id = ? AND checked_in_at IS NULL AND status = 'registered'`, at, at, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ClaimReminders marks and returns the users' live registrations of scheduled events starting
// in (now, before] not reminded yet, in the transaction of ctx.
func (s *Store) ClaimReminders(ctx context.Context, now, before time.Time) ([]event.Registration, error) {
	c, err := s.txConn(ctx)
	if err != nil {
		return nil, err
	}
	q := `SELECT ` + registrationCols + registrationFrom + ` WHERE g.kind = 'user' AND g.status = 'registered' AND g.reminded_at IS NULL
		AND v.status = 'scheduled' AND v.starts_at > ? AND v.starts_at <= ? ORDER BY g.id`
	if s.eng.RowLocks {
		q += ` FOR UPDATE OF g SKIP LOCKED`
	}
	rows, err := c.query(ctx, q, now, before)
	if err != nil {
		return nil, err
	}
	due, err := collect(rows, scanRegistration)
	if err != nil || len(due) == 0 {
		return due, err
	}
	ids := make([]string, len(due))
	for i, r := range due {
		ids[i] = r.ID
	}
	_, err = c.exec(ctx, `UPDATE event_registrations SET reminded_at = ? WHERE id IN (`+bindParams(len(ids))+`)`, append([]any{now}, anySlice(ids)...)...)
	return due, err
}
