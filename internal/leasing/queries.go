package leasing

import "github.com/parkos/parkos/internal/civil"

// Reminders is what an operator should act on today (§4): leases expiring within 90 days,
// lead follow-ups due or overdue, and holds lapsing within a week.
type Reminders struct {
	On        civil.Date      `json:"on"`
	Leases    []LeaseReminder `json:"leases"`
	FollowUps []Lead          `json:"follow_ups"`
	Holds     []Hold          `json:"holds"`
}

// ActivityInput is a call, visit, meeting or note, and optionally the next follow-up date.
type ActivityInput struct {
	Kind         string     `json:"kind"`
	Text         string     `json:"text"`
	NextFollowUp civil.Date `json:"next_follow_up"`
}

// OccupancyFilter chooses the units occupancy is computed over. An empty park means every park
// the caller sees (administrators and the authority).
type OccupancyFilter struct {
	ParkID     string
	BuildingID string
	Kind       string
}

// StackFilter narrows a stack plan.
type StackFilter struct {
	BuildingID string
	Kind       string
	Facility   string // bsl1 | bsl2 | bsl3 | animal_room | cleanroom | fume_exhaust | pure_water
}
