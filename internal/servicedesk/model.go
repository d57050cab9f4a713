// Package servicedesk is the parks' enterprise services (§7): the service catalog (systems,
// platforms, providers and their offerings), service requests (工单) an enterprise sends its
// park, and the demands (问需) a park sends the authority — routed to a team or provider, moved
// through one lifecycle, timed against SLAs counted in the park's working hours, commented on,
// rated, and reported by platform and by park.
package servicedesk

import (
	"time"

	"github.com/parkos/parkos/internal/measure"
)

// System is one of the four service systems of §7.
type System string

// Systems in the order the catalog shows them.
var Systems = []System{"industry_tech", "enterprise", "gov_link", "property"}

// Platform is a service platform within a system. The defaults are §7's eight platforms and a
// platform each for property services and government liaison; a park renames, hides or adds
// its own.
type Platform struct {
	Code   string `json:"code"`
	System System `json:"system"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
	Active bool   `json:"active"`
}

// DefaultPlatforms are every park's platforms until it changes them.
var DefaultPlatforms = []Platform{
	{"ip", "industry_tech", "知识产权", "Intellectual property", true},
	{"data", "industry_tech", "数据", "Data", true},
	{"hr", "enterprise", "人力资源", "Human resources", true},
	{"legal", "enterprise", "法律", "Legal", true},
	{"accounting", "enterprise", "财务", "Accounting", true},
	{"pr", "enterprise", "公关", "Public relations", true},
	{"marketing", "enterprise", "市场营销", "Marketing", true},
	{"finance", "enterprise", "金融", "Finance", true},
	{"policy", "gov_link", "政企联动", "Government liaison", true},
	{"property", "property", "物业服务", "Property services", true},
}

// Provider is who does the work: one of the park's own teams (its members are staff users) or
// a third party. A provider without a park is one of the authority's departments.
type Provider struct {
	ID          string    `json:"id"`
	ParkID      string    `json:"park_id,omitempty"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"` // team | third_party
	Contact     string    `json:"contact"`
	Description string    `json:"description"`
	Members     []string  `json:"members"`
	Active      bool      `json:"active"`
	CreatedAt   time.Time `json:"created_at"`
}

// NewProvider adds a provider to a park (or, without one, a department to the authority).
type NewProvider struct {
	ParkID      string   `json:"park_id"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Contact     string   `json:"contact"`
	Description string   `json:"description"`
	Members     []string `json:"members"`
}

// Offering is a service a provider offers the park's enterprises, with its price and lead time.
type Offering struct {
	ID           string        `json:"id"`
	ParkID       string        `json:"park_id"`
	ProviderID   string        `json:"provider_id"`
	ProviderName string        `json:"provider_name"`
	Platform     string        `json:"platform"`
	Name         string        `json:"name"`
	Description  string        `json:"description"`
	Price        measure.Money `json:"price"`
	PriceUnit    string        `json:"price_unit"` // item | hour | month
	LeadDays     int           `json:"lead_days"`
	Active       bool          `json:"active"`
	CreatedAt    time.Time     `json:"created_at"`
}

// NewOffering adds an offering of a provider of the park.
type NewOffering struct {
	ProviderID  string        `json:"provider_id"`
	Platform    string        `json:"platform"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Price       measure.Money `json:"price"`
	PriceUnit   string        `json:"price_unit"`
	LeadDays    int           `json:"lead_days"`
}

// Kind tells a request an enterprise sends its park from a demand a park sends the authority.
type Kind string

const (
	Request Kind = "request"
	Demand  Kind = "demand"
)

// Category is what a request is about: its platform, its SLA in working hours and where it is
// routed. Categories without a park are every park's defaults (requests) and the authority's
// themes (demands); a park's own category of the same code replaces the default.
type Category struct {
	ID              string `json:"id"`
	ParkID          string `json:"park_id,omitempty"`
	Kind            Kind   `json:"kind"`
	Code            string `json:"code"`
	NameZh          string `json:"name_zh"`
	NameEn          string `json:"name_en"`
	Platform        string `json:"platform"`
	ResponseHours   int    `json:"response_hours"`
	ResolutionHours int    `json:"resolution_hours"`
	// ProviderID routes new requests to a provider; none leaves them in the park's queue.
	ProviderID string `json:"provider_id,omitempty"`
	NeedsUnit  bool   `json:"needs_unit"`
	Active     bool   `json:"active"`
}

// NewCategory adds a park's category, or replaces a default of the same code.
type NewCategory struct {
	ParkID          string `json:"park_id"`
	Code            string `json:"code"`
	NameZh          string `json:"name_zh"`
	NameEn          string `json:"name_en"`
	Platform        string `json:"platform"`
	ResponseHours   int    `json:"response_hours"`
	ResolutionHours int    `json:"resolution_hours"`
	ProviderID      string `json:"provider_id"`
	NeedsUnit       bool   `json:"needs_unit"`
}

// Catalog is what a park offers: its platforms, categories, providers and offerings.
type Catalog struct {
	ParkID     string     `json:"park_id"`
	Platforms  []Platform `json:"platforms"`
	Categories []Category `json:"categories"`
	Providers  []Provider `json:"providers"`
	Offerings  []Offering `json:"offerings"`
}

// Status is where a request is in its life (§7).
type Status string

const (
	Open       Status = "open"
	Assigned   Status = "assigned"
	InProgress Status = "in_progress"
	Resolved   Status = "resolved"
	Closed     Status = "closed"
)

// Statuses in lifecycle order.
var Statuses = []Status{Open, Assigned, InProgress, Resolved, Closed}

// Finished reports whether the work is done (the resolution clock stopped).
func (s Status) Finished() bool { return s == Resolved || s == Closed }

// Ticket is a service request or a park demand, with its SLA clocks.
type Ticket struct {
	ID             string `json:"id"`
	Kind           Kind   `json:"kind"`
	ParkID         string `json:"park_id"`
	ParkName       string `json:"park_name"`
	EnterpriseID   string `json:"enterprise_id,omitempty"`
	EnterpriseName string `json:"enterprise_name,omitempty"`
	CategoryID     string `json:"category_id"`
	CategoryZh     string `json:"category_zh"`
	CategoryEn     string `json:"category_en"`
	Platform       string `json:"platform"`
	OfferingID     string `json:"offering_id,omitempty"`
	UnitID         string `json:"unit_id,omitempty"`
	UnitCode       string `json:"unit_code,omitempty"`
	Title          string `json:"title"`
	Body           string `json:"body"`
	SubmittedBy    string `json:"submitted_by"`
	Status         Status `json:"status"`
	ProviderID     string `json:"provider_id,omitempty"`
	ProviderName   string `json:"provider_name,omitempty"`
	Assignee       string `json:"assignee"`
	// EscalatedFrom is the enterprise's request a demand escalates; EscalatedTo the demand a
	// request was escalated into.
	EscalatedFrom string     `json:"escalated_from,omitempty"`
	EscalatedTo   string     `json:"escalated_to,omitempty"`
	SubmittedAt   time.Time  `json:"submitted_at"`
	ResponseDue   time.Time  `json:"response_due"`
	ResolutionDue time.Time  `json:"resolution_due"`
	RespondedAt   *time.Time `json:"responded_at,omitempty"`
	ResolvedAt    *time.Time `json:"resolved_at,omitempty"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`
	Reopened      int        `json:"reopened"`
	Rating        int        `json:"rating,omitempty"`
	RatingComment string     `json:"rating_comment"`
	// ResponseBreached and ResolutionBreached mark a clock that ran out (at the time of
	// reading for a clock still running).
	ResponseBreached   bool      `json:"response_breached"`
	ResolutionBreached bool      `json:"resolution_breached"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// Breaches marks the ticket's clocks as of now.
func (t *Ticket) Breaches(now time.Time) {
	late := func(due time.Time, done *time.Time) bool {
		if done != nil {
			return done.After(due)
		}
		return now.After(due)
	}
	t.ResponseBreached = late(t.ResponseDue, t.RespondedAt)
	t.ResolutionBreached = late(t.ResolutionDue, t.ResolvedAt)
}

// NewTicket is a request an enterprise's user submits, or a demand a park's staff raise.
type NewTicket struct {
	ParkID     string `json:"park_id"`
	CategoryID string `json:"category_id"`
	OfferingID string `json:"offering_id"`
	UnitID     string `json:"unit_id"`
	Title      string `json:"title"`
	Body       string `json:"body"`
}

// Action moves a ticket on: assign (to a user and/or a provider), start, resolve, close,
// reopen, or escalate (a park's request to the authority, under a theme).
type Action struct {
	Action     string `json:"action"`
	Assignee   string `json:"assignee"`
	ProviderID string `json:"provider_id"`
	CategoryID string `json:"category_id"` // the theme of an escalated demand
	Note       string `json:"note"`
}

// Comment is a note on a ticket: visible to the submitter, or internal to the staff.
type Comment struct {
	ID        string    `json:"id"`
	Author    string    `json:"author"`
	Internal  bool      `json:"internal"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// NewComment is a note to add.
type NewComment struct {
	Body     string `json:"body"`
	Internal bool   `json:"internal"`
}

// Rating is the submitter's 1–5 judgment of resolved work, with a comment.
type Rating struct {
	Rating  int    `json:"rating"`
	Comment string `json:"comment"`
}

// Attachment is a file on a ticket.
type Attachment struct {
	ID          string    `json:"id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	UploadedBy  string    `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// Detail is a ticket with what the caller may see of its comments and attachments.
type Detail struct {
	Ticket
	Comments    []Comment    `json:"comments"`
	Attachments []Attachment `json:"attachments"`
}

// Queues a ticket list can show (§7: the operator's views).
var Queues = []string{"all", "mine", "team", "breached", "due_today", "open"}

// Filter narrows a list of tickets.
type Filter struct {
	Kind         Kind
	Queue        string
	ParkID       string
	EnterpriseID string
	Platform     string
	Status       Status
	// Username and DayStart/DayEnd are filled by the service for the mine, team and due_today
	// queues; Now for breached.
	Username         string
	Now              time.Time
	DayStart, DayEnd time.Time
}

// Note is a comment or an attachment as the audit trail records it, with its ticket's owners.
type Note struct {
	TicketID     string      `json:"ticket_id"`
	ParkID       string      `json:"park_id"`
	EnterpriseID string      `json:"enterprise_id,omitempty"`
	Comment      *Comment    `json:"comment,omitempty"`
	Attachment   *Attachment `json:"attachment,omitempty"`
}

// ParkSetting is a park's platform or working week as the audit trail records it.
type ParkSetting struct {
	ParkID   string          `json:"park_id"`
	Platform *Platform       `json:"platform,omitempty"`
	Hours    []WorkingWindow `json:"hours,omitempty"`
}
