package gen

import (
	"fmt"
	"time"

	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/event"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// eventsPerPark: a forum, roadshow, training or park visit every other month of 2026, in the
// park's roadshow hall.
const eventsPerPark = 6

var (
	eventCols = []string{"id", "park_id", "title", "kind", "description", "starts_at", "ends_at", "resource_id", "booking_id", "location",
		"capacity", "audience", "waitlist", "status", "organizer", "created_at", "updated_at"}
	registrationCols = []string{"id", "event_id", "park_id", "kind", "username", "enterprise_id", "guest_name", "guest_org", "guest_phone", "status",
		"code", "checked_in_at", "registered_by", "created_at", "updated_at"}
	eventTitles = map[string]string{"forum": "产业发展论坛", "roadshow": "项目路演", "training": "政策申报培训", "park_visit": "园区行"}
)

// events schedules the park's events of 2026 in its hall (hallID), each with its venue booked
// like the console books it, and registrations of its enterprises' representatives: those before
// the generator's day (policyDay) are checked in at the door or missed, later ones are to come.
func (g *generator) events(b *sqlstore.Bulk, parkID, organizer, hallID string, ents []string) error {
	now := g.stamp()
	var events, bookings, regs [][]any
	for m := range eventsPerPark {
		kind := event.Kinds[g.rnd.IntN(len(event.Kinds))]
		day := firstThursday(2026, time.Month(1+2*m))
		starts := time.Date(day.Year(), day.Month(), day.Day(), 14, 0, 0, 0, civil.Shanghai)
		ends := starts.Add(3 * time.Hour)
		past := day.Before(policyDay)
		id, bookingID := g.id(), g.id()
		capacity := 30 + 10*g.rnd.IntN(6)
		title := eventTitles[kind]
		events = append(events, []any{id, parkID, title, kind, title + "（合成数据）", starts, ends, hallID, bookingID, "",
			capacity, "tenants", true, string(event.Scheduled), organizer, now, now})
		status := booking.Approved
		if past {
			status = booking.Completed
		}
		bookings = append(bookings, []any{bookingID, hallID, parkID, nil, organizer, minutes(starts), minutes(ends), string(status),
			booking.EventBooking, int64(0), "event", nil, title, "", now, now})
		taken := capacity * (6 + g.rnd.IntN(5)) / 10
		for r := range taken {
			var checkedIn any
			if past && g.rnd.IntN(5) > 0 {
				checkedIn = starts.Add(time.Duration(g.rnd.IntN(30)-15) * time.Minute)
			}
			regs = append(regs, []any{g.id(), id, parkID, "guest", "", ents[g.rnd.IntN(len(ents))], fmt.Sprintf("参会代表 %d", r+1), "", "",
				string(event.Registered), g.checkInCode(), checkedIn, organizer, now, now})
		}
	}
	g.stats.Events += len(events)
	g.stats.Registrations += len(regs)
	for _, step := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{{"bookings", bookingCols, bookings}, {"events", eventCols, events}, {"event_registrations", registrationCols, regs}} {
		if err := b.Insert(step.table, step.cols, step.rows); err != nil {
			return fmt.Errorf("%s: %w", step.table, err)
		}
	}
	return nil
}

// checkInCode is a registration's code in the service's alphabet, unique because it is the
// generator's sequence scrambled by a multiplier prime to 31 (a bijection of the 31⁸ codes).
func (g *generator) checkInCode() string {
	const space = 852_891_037_441 // 31⁸
	g.seq++
	n := g.seq * 104_729 % space
	code := make([]byte, 8)
	for i := range code {
		code[i] = event.CodeAlphabet[n%31]
		n /= 31
	}
	return string(code)
}

// firstThursday is the first Thursday of a month.
func firstThursday(year int, month time.Month) civil.Date {
	d := civil.Of(year, month, 1)
	for d.ISOWeekday() != 4 {
		d = d.AddDays(1)
	}
	return d
}
