// Package event is the parks' events (§8): forums, roadshows, trainings and park visits (园区行)
// with their venue booked through the shared facilities, an audience (open, the park's tenants,
// or invited enterprises), registration of enterprise users and outside guests with a waiting
// list that moves up when someone cancels, a check-in code per registration shown as a QR code
// and used once at the door, attendance and no-show reports, iCalendar entries and reminders.
package event

import (
	"time"
)

// Kinds of event.
var Kinds = []string{"forum", "roadshow", "training", "park_visit"}

// Audiences: anyone may register, the park's tenants, or the invited enterprises only.
var Audiences = []string{"open", "tenants", "invited"}

// Status of an event.
type Status string

const (
	Scheduled Status = "scheduled"
	Cancelled Status = "cancelled"
)

// Event is a park event.
type Event struct {
	ID          string    `json:"id"`
	ParkID      string    `json:"park_id"`
	ParkName    string    `json:"park_name"`
	Title       string    `json:"title"`
	Kind        string    `json:"kind"`
	Description string    `json:"description"`
	StartsAt    time.Time `json:"starts_at"`
	EndsAt      time.Time `json:"ends_at"`
	// ResourceID is the venue, booked (BookingID) for the event's time.
	ResourceID string    `json:"resource_id,omitempty"`
	VenueName  string    `json:"venue_name,omitempty"`
	BookingID  string    `json:"booking_id,omitempty"`
	Location   string    `json:"location"`
	Capacity   int       `json:"capacity"`
	Audience   string    `json:"audience"`
	Invited    []string  `json:"invited_enterprise_ids"`
	Waitlist   bool      `json:"waitlist"`
	Status     Status    `json:"status"`
	Organizer  string    `json:"organizer"`
	Registered int       `json:"registered"`
	Waitlisted int       `json:"waitlisted"`
	CheckedIn  int       `json:"checked_in"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// NewEvent schedules an event.
type NewEvent struct {
	ParkID      string    `json:"park_id"`
	Title       string    `json:"title"`
	Kind        string    `json:"kind" doc:"forum | roadshow | training | park_visit"`
	Description string    `json:"description,omitempty" maxlen:"5000"`
	StartsAt    time.Time `json:"starts_at"`
	EndsAt      time.Time `json:"ends_at"`
	ResourceID  string    `json:"resource_id,omitempty" doc:"场地（园区的可预约资源，按活动时间预约） / the venue, a bookable resource of the park, booked for the event's time"`
	Location    string    `json:"location,omitempty" doc:"无场地资源时的地点 / where, without a venue resource"`
	Capacity    int       `json:"capacity"`
	Audience    string    `json:"audience" doc:"open | tenants | invited"`
	Invited     []string  `json:"invited_enterprise_ids,omitempty"`
	Waitlist    bool      `json:"waitlist,omitempty" doc:"满员后进入候补 / take a waiting list when full"`
}

// RegStatus is a registration's state.
type RegStatus string

const (
	Registered RegStatus = "registered"
	Waitlisted RegStatus = "waitlisted"
	Withdrawn  RegStatus = "cancelled"
)

// RegStatuses of a registration.
var RegStatuses = []RegStatus{Registered, Waitlisted, Withdrawn}

// Registration is a place at an event: an enterprise user's own, or an outside guest's.
type Registration struct {
	ID           string     `json:"id"`
	EventID      string     `json:"event_id"`
	EventTitle   string     `json:"event_title"`
	ParkID       string     `json:"park_id"`
	Kind         string     `json:"kind"` // user | guest
	Username     string     `json:"username,omitempty"`
	EnterpriseID string     `json:"enterprise_id,omitempty"`
	Enterprise   string     `json:"enterprise,omitempty"`
	GuestName    string     `json:"guest_name,omitempty"`
	GuestOrg     string     `json:"guest_org,omitempty"`
	GuestPhone   string     `json:"guest_phone,omitempty"`
	Status       RegStatus  `json:"status"`
	Code         string     `json:"code"`
	CheckedInAt  *time.Time `json:"checked_in_at,omitempty"`
	RegisteredBy string     `json:"registered_by"`
	StartsAt     time.Time  `json:"starts_at"`
	EndsAt       time.Time  `json:"ends_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// NewRegistration registers the caller (an enterprise user), or an outside guest (park staff,
// or an enterprise user bringing one).
type NewRegistration struct {
	GuestName  string `json:"guest_name,omitempty" doc:"来宾姓名（登记来宾时必填） / a guest's name (registers a guest)"`
	GuestOrg   string `json:"guest_org,omitempty"`
	GuestPhone string `json:"guest_phone,omitempty"`
}

// CheckIn is a code scanned or typed at the door.
type CheckIn struct {
	Code string `json:"code"`
}

// Attendance is an event's figures: places, registrations, the waiting list, who came and
// who did not (after it ended).
type Attendance struct {
	Event        Event          `json:"event"`
	Registered   int            `json:"registered"`
	Waitlisted   int            `json:"waitlisted"`
	Cancelled    int            `json:"cancelled"`
	CheckedIn    int            `json:"checked_in"`
	NoShows      int            `json:"no_shows"`
	Ended        bool           `json:"ended"`
	Rate         *float64       `json:"attendance_rate"`
	Registration []Registration `json:"registrations"`
}

// Filter narrows event lists.
type Filter struct {
	ParkID string
	From   time.Time
	To     time.Time
	Kind   string
}
