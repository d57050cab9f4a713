package gen

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
	"github.com/parkos/parkos/internal/servicedesk"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// genResources are every park's bookable facilities: opening 08:00–20:00 on weekdays.
var genResources = []struct {
	code, name string
	kind       booking.Kind
	member     int64 // 元 an hour
}{
	{"MR-1", "会议室", "meeting_room", 0},
	{"RH-1", "路演厅", "roadshow_hall", 200},
	{"P2-1", "P2 实验台", "p2_bench", 120},
	{"INS-1", "共享仪器", "instrument", 180},
}

var (
	resourceCols = []string{"id", "park_id", "code", "name", "kind", "description", "rules_json", "shared", "active", "created_at", "updated_at"}
	bookingCols  = []string{"id", "resource_id", "park_id", "enterprise_id", "username", "start_min", "end_min", "status", "booker_kind",
		"price", "price_rule", "series_id", "note", "reason", "created_at", "updated_at"}
	requestCols = []string{"id", "kind", "park_id", "enterprise_id", "category_id", "platform", "offering_id", "unit_id", "title", "body",
		"submitted_by", "status", "provider_id", "assignee", "escalated_from", "escalated_to", "submitted_at", "submitted_month", "response_due", "resolution_due",
		"responded_at", "resolved_at", "closed_at", "warned_at", "reopened", "rating", "rating_comment", "updated_at"}
	// genCategories are the default request categories with their SLAs (migration 0033).
	genCategories = []struct {
		id, platform, title string
		response, resolve   int
	}{
		{"svc-repair", "property", "设施报修", 2, 8}, {"svc-repair", "property", "空调报修", 2, 8}, {"svc-cleaning", "property", "保洁需求", 4, 16},
		{"svc-recruiting", "hr", "人才招聘", 8, 40}, {"svc-patent", "ip", "专利申请", 8, 40}, {"svc-legal", "legal", "合同审查", 8, 24},
		{"svc-accounting", "accounting", "财税咨询", 8, 40}, {"svc-financing", "finance", "融资对接", 8, 40}, {"svc-policy", "policy", "政策咨询", 4, 24},
		{"svc-data", "data", "算力申请", 8, 24},
	}
)

// minutes is an instant as the minutes since 1970 the bookings table keeps.
func minutes(t time.Time) int64 { return t.Unix() / 60 }

// services gives a park its shared facilities, 20 bookings and 6 service requests per
// enterprise over 2024–2025, and its events of 2026. Each resource's bookings follow one another on its own timeline
// (never overlapping); requests are timed against the default working week.
func (g *generator) services(b *sqlstore.Bulk, parkID, organizer string, ents, units []string) error {
	if len(ents) == 0 {
		return nil
	}
	now := g.stamp()
	var resources, bookings [][]any
	total := len(ents) * g.scale.History.Bookings
	// As many resources as keep each to about 700 bookings, a year of its weekdays.
	n := max(len(genResources), (total+699)/700)
	ids := make([]string, n)
	cursor := make([]time.Time, n)
	start := time.Date(2024, 1, 2, 8, 0, 0, 0, civil.Shanghai)
	for i := range n {
		r := genResources[i%len(genResources)]
		ids[i], cursor[i] = g.id(), start
		rules := booking.ResourceRules{SlotMinutes: 60, MinMinutes: 60, MaxMinutes: 240, CancelHours: 24,
			Prices: booking.Prices{Member: measure.Yuan(r.member), NonMember: measure.Yuan(r.member * 2), OtherPark: measure.Yuan(r.member * 3 / 2)}}
		for wd := 1; wd <= 5; wd++ {
			rules.Hours = append(rules.Hours, booking.Window{Weekday: wd, From: "08:00", To: "20:00"})
		}
		js, err := json.Marshal(rules)
		if err != nil {
			return err
		}
		resources = append(resources, []any{ids[i], parkID, fmt.Sprintf("%s-%02d", r.code, i/len(genResources)+1), r.name, string(r.kind), "", string(js), false, true, now, now})
	}
	statuses := []string{"completed", "completed", "completed", "completed", "completed", "completed", "no_show", "cancelled", "rejected", "completed"}
	for k := range total {
		i := k % n
		hours := 1 + g.rnd.IntN(3)
		at := cursor[i].Add(time.Duration(g.rnd.IntN(3)) * time.Hour)
		if end := at.Add(time.Duration(hours) * time.Hour); end.Hour() > 20 || end.Hour() == 20 && end.Minute() > 0 || end.Day() != at.Day() {
			at = nextWorkday(at)
		}
		end := at.Add(time.Duration(hours) * time.Hour)
		cursor[i] = end
		ent := ents[g.rnd.IntN(len(ents))]
		status := statuses[g.rnd.IntN(len(statuses))]
		price := measure.Yuan(genResources[i%len(genResources)].member * int64(hours))
		bookings = append(bookings, []any{g.id(), ids[i], parkID, ent, "booker", minutes(at), minutes(end), status, "member",
			price, fmt.Sprintf("会员价 %d 小时", hours), nil, "", "", now, now})
	}
	cal := servicedesk.Calendar{Hours: servicedesk.DefaultHours}
	var requests [][]any
	span := int(time.Date(2026, 1, 1, 0, 0, 0, 0, civil.Shanghai).Sub(start) / time.Hour)
	for range len(ents) * g.scale.History.Requests {
		c := genCategories[g.rnd.IntN(len(genCategories))]
		submitted := start.Add(time.Duration(g.rnd.IntN(span)) * time.Hour)
		respDue, resDue := cal.Add(submitted, c.response), cal.Add(submitted, c.resolve)
		// Nine in ten answered within their response time, eight in ten resolved within theirs.
		responded := cal.Add(submitted, max(1, c.response*(5+g.rnd.IntN(7))/10))
		resolved := cal.Add(submitted, max(2, c.resolve*(4+g.rnd.IntN(9))/10))
		rating := any(nil)
		if g.rnd.IntN(3) > 0 {
			rating = 3 + g.rnd.IntN(3)
		}
		var unit any
		if c.id == "svc-repair" && len(units) > 0 {
			unit = units[g.rnd.IntN(len(units))]
		}
		requests = append(requests, []any{g.id(), "request", parkID, ents[g.rnd.IntN(len(ents))], c.id, c.platform, nil, unit, c.title, c.title + "，请协助。",
			"booker", "closed", nil, "", nil, nil, submitted.Unix(), servicedesk.MonthOf(submitted), respDue.Unix(), resDue.Unix(), responded.Unix(), resolved.Unix(),
			resolved.Add(24 * time.Hour).Unix(), nil, 0, rating, "", now})
	}
	g.stats.Bookings += len(bookings)
	g.stats.Requests += len(requests)
	for _, step := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{{"facility_resources", resourceCols, resources}, {"bookings", bookingCols, bookings}, {"service_requests", requestCols, requests}} {
		if err := b.Insert(step.table, step.cols, step.rows); err != nil {
			return fmt.Errorf("%s: %w", step.table, err)
		}
	}
	// The second resource is the roadshow hall (RH-01), free in 2026 for the park's events.
	return g.events(b, parkID, organizer, ids[1], ents)
}

// nextWorkday is 08:00 of the next weekday after t.
func nextWorkday(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day()+1, 8, 0, 0, 0, civil.Shanghai)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}
