// Package booking is the parks' shared facilities (§7): bookable resources — P2 lab rooms and
// benches, animal rooms, instruments, meeting rooms, roadshow halls, compute — with their rules
// (opening hours, slot grid, durations, lead time, approval, training certificates, prices by
// kind of booker, quotas, cancellation window), the bookings made of them, the certificates
// operators issue, and the charges used facilities produce.
package booking

import (
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// Kind is what sort of facility a resource is.
type Kind string

// Kinds of resource (§7).
var Kinds = []Kind{"p2_lab", "p2_bench", "animal_room", "instrument", "meeting_room", "roadshow_hall", "compute"}

// Window is a resource's opening hours on one weekday: from and to as "HH:MM", Weekday 1
// (Monday) to 7 (Sunday).
type Window struct {
	Weekday int    `json:"weekday"`
	From    string `json:"from"`
	To      string `json:"to"`
}

// Prices are a resource's prices per hour by kind of booker: an enterprise of the resource's
// park (member), of another park (other_park, when the resource is shared), or of none.
type Prices struct {
	Member    measure.Money `json:"member"`
	NonMember measure.Money `json:"non_member"`
	OtherPark measure.Money `json:"other_park"`
}

// Quota bounds the hours one enterprise may book of a resource per week or month (0: none).
type Quota struct {
	Hours int    `json:"hours"`
	Per   string `json:"per"` // week | month
}

// Resource is a bookable facility of a park.
type Resource struct {
	ID          string `json:"id"`
	ParkID      string `json:"park_id"`
	ParkName    string `json:"park_name"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Kind        Kind   `json:"kind"`
	Description string `json:"description"`
	ResourceRules
	// Active: bookable; a resource out of service keeps its bookings and takes no new ones.
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ResourceRules are the rules a booking of the resource must keep (§7).
type ResourceRules struct {
	Hours       []Window `json:"hours"`
	SlotMinutes int      `json:"slot_minutes"`
	MinMinutes  int      `json:"min_minutes"`
	MaxMinutes  int      `json:"max_minutes"`
	// LeadHours: a booking starts at least this many hours after it is made.
	LeadHours     int  `json:"lead_hours"`
	NeedsApproval bool `json:"needs_approval"`
	// Certificate is the kind of training certificate a booker must hold valid on the day of
	// use ("" for none).
	Certificate string `json:"certificate"`
	Prices      Prices `json:"prices"`
	Quota       Quota  `json:"quota"`
	// CancelHours: a booker may cancel until this many hours before the start.
	CancelHours int `json:"cancel_hours"`
	// SharedWithParks opens the resource to enterprises of other parks, at the other-park price.
	SharedWithParks bool `json:"shared_with_parks"`
}

// NewResource creates a resource in a park.
type NewResource struct {
	ParkID      string `json:"park_id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Kind        Kind   `json:"kind"`
	Description string `json:"description"`
	ResourceRules
}

// Status is where a booking is in its life (§7).
type Status string

const (
	Requested Status = "requested"
	Approved  Status = "approved"
	Rejected  Status = "rejected"
	CheckedIn Status = "checked_in"
	Completed Status = "completed"
	NoShow    Status = "no_show"
	Cancelled Status = "cancelled"
)

// Statuses in lifecycle order.
var Statuses = []Status{Requested, Approved, Rejected, CheckedIn, Completed, NoShow, Cancelled}

// Holds reports whether a booking in this status holds its time: no other may overlap it.
func (s Status) Holds() bool { return s == Requested || s == Approved || s == CheckedIn }

// Booking is a resource booked by an enterprise's user for a time on one day.
type Booking struct {
	ID             string        `json:"id"`
	ResourceID     string        `json:"resource_id"`
	ResourceName   string        `json:"resource_name"`
	ParkID         string        `json:"park_id"`
	EnterpriseID   string        `json:"enterprise_id"`
	EnterpriseName string        `json:"enterprise_name"`
	Username       string        `json:"username"`
	Start          time.Time     `json:"start"`
	End            time.Time     `json:"end"`
	Status         Status        `json:"status"`
	BookerKind     string        `json:"booker_kind"` // member | non_member | other_park
	Price          measure.Money `json:"price"`
	PriceRule      string        `json:"price_rule"`
	SeriesID       string        `json:"series_id,omitempty"`
	Note           string        `json:"note"`
	Reason         string        `json:"reason"` // of a rejection or cancellation
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

// NewBooking asks for a resource from start to end, and the same time on the following weeks
// when Weeks is more than 1 (a weekly series, up to 26).
type NewBooking struct {
	ResourceID string    `json:"resource_id"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Weeks      int       `json:"weeks"`
	Note       string    `json:"note"`
}

// SeriesResult is what a booking request made: the bookings, and each date it could not book
// with the rule that refused it.
type SeriesResult struct {
	Booked  []Booking  `json:"booked"`
	Refused []Conflict `json:"refused"`
}

// Conflict is a date of a series that could not be booked, and why.
type Conflict struct {
	Date      civil.Date `json:"date"`
	Rule      string     `json:"rule"`
	MessageZh string     `json:"message_zh"`
	MessageEn string     `json:"message_en"`
}

// Decision moves a booking on: approve, reject, check_in, complete, no_show or cancel, with a
// reason for a rejection or cancellation.
type Decision struct {
	Action string `json:"action"`
	Reason string `json:"reason"`
}

// Certificate is a training certificate an operator issued to an enterprise's user: what it
// qualifies for (a resource's Certificate) and until when.
type Certificate struct {
	ID           string     `json:"id"`
	ParkID       string     `json:"park_id"`
	EnterpriseID string     `json:"enterprise_id"`
	Username     string     `json:"username"`
	Kind         string     `json:"kind"`
	IssuedOn     civil.Date `json:"issued_on"`
	ExpiresOn    civil.Date `json:"expires_on"`
	CreatedAt    time.Time  `json:"created_at"`
}

// NewCertificate issues a certificate to a user of an enterprise.
type NewCertificate struct {
	ParkID    string     `json:"park_id"`
	Username  string     `json:"username"`
	Kind      string     `json:"kind"`
	IssuedOn  civil.Date `json:"issued_on"`
	ExpiresOn civil.Date `json:"expires_on"`
}

// Charge is what a used facility costs an enterprise, kept for receivables (§5).
type Charge struct {
	ID           string        `json:"id"`
	ParkID       string        `json:"park_id"`
	EnterpriseID string        `json:"enterprise_id"`
	Source       string        `json:"source"` // booking
	SourceID     string        `json:"source_id"`
	Amount       measure.Money `json:"amount"`
	Rule         string        `json:"rule"`
	On           civil.Date    `json:"on"`
	CreatedAt    time.Time     `json:"created_at"`
}

// Filter narrows a list of bookings.
type Filter struct {
	ResourceID   string
	EnterpriseID string
	Username     string
	Status       Status
	From, To     civil.Date // days of the start, inclusive; zero is unbounded
}

// Feed is a calendar feed a user made: its own bookings, or a resource's (ResourceID set).
type Feed struct {
	ID         string     `json:"id"`
	ResourceID string     `json:"resource_id,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	UserID     string     `json:"-"`
}

// NewFeed asks for a feed of the caller's bookings, or of a resource's when ResourceID is set.
type NewFeed struct {
	ResourceID string `json:"resource_id"`
}

// FeedCreated is a new feed with its secret address, shown once.
type FeedCreated struct {
	Feed
	Path string `json:"path"` // /calendar/{token}.ics on this server
}
