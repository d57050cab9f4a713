package sqlstore

import (
	"context"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/leasing"
	"github.com/parkos/parkos/internal/page"
)

// RentRoll is the park's 租金台账 on a day: every unit of the stack plan with the contract in
// force and its monthly charges (leasing.RentRoll).
func (s *Store) RentRoll(ctx context.Context, sc identity.Scope, parkID string, on civil.Date) ([]leasing.RentRollLine, error) {
	plan, err := s.StackPlan(ctx, sc, parkID, on, leasing.StackFilter{})
	if err != nil {
		return nil, err
	}
	ks, err := page.All(func(r page.Request) (page.Page[leasing.Contract], error) {
		return s.ListContracts(ctx, sc, leasing.Filter{ParkID: parkID, ActiveOn: on}, r)
	}, 1_000_000)
	if err != nil {
		return nil, err
	}
	return leasing.RentRoll(plan, ks), nil
}

// reminderLimit bounds each list of reminders; the lists behind them have filters of their own.
const reminderLimit = 50

// LeasingReminders gathers the caller's reminders on today. Roles without leasing work get
// empty lists.
func (s *Store) LeasingReminders(ctx context.Context, sc identity.Scope, today civil.Date) (leasing.Reminders, error) {
	r := leasing.Reminders{On: today, Leases: []leasing.LeaseReminder{}, FollowUps: []leasing.Lead{}, Holds: []leasing.Hold{}}
	if !sc.Role.IsOperator() && sc.Role != identity.Admin {
		return r, nil
	}
	horizon := leasing.ReminderBands[len(leasing.ReminderBands)-1]
	ks, err := s.ListContracts(ctx, sc, leasing.Filter{ExpiringBy: today.AddDays(horizon)}, page.Request{Sort: "end_on", Limit: reminderLimit})
	if err != nil {
		return r, err
	}
	r.Leases = append(r.Leases, leasing.LeaseReminders(ks.Items, today)...)
	leads, err := s.ListLeads(ctx, sc, leasing.LeadFilter{FollowUpBy: today}, page.Request{Sort: "next_follow_up", Limit: reminderLimit})
	if err != nil {
		return r, err
	}
	r.FollowUps = append(r.FollowUps, leads.Items...)
	holds, err := s.ListHolds(ctx, sc, leasing.HoldFilter{LapsingBy: today.AddDays(7)}, page.Request{Limit: reminderLimit})
	if err != nil {
		return r, err
	}
	r.Holds = append(r.Holds, holds.Items...)
	return r, nil
}
