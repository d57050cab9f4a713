// Package enterprise is the companies in the parks (§3): profile, residency history and
// qualifications.
package enterprise

import (
	"time"

	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// Stage is an enterprise's lifecycle stage in the park.
type Stage string

var Stages = []Stage{"incubating", "accelerating", "scaling", "headquarters", "graduated", "moved_out"}

// OwnershipTypes are the registration types parks report on.
var OwnershipTypes = []string{"", "private", "state_owned", "foreign", "joint_venture", "collective", "other"}

// Enterprise is a company (企业). ParkID is the park whose operator keeps the record; a company
// is also visible to every park it has been resident in.
type Enterprise struct {
	ID                  string        `json:"id"`
	ParkID              string        `json:"park_id"`
	Name                string        `json:"name"`
	NameEn              string        `json:"name_en"`
	CreditCode          string        `json:"credit_code"`
	LegalRepresentative string        `json:"legal_representative"`
	FoundedOn           civil.Date    `json:"founded_on"`
	RegisteredCapital   measure.Money `json:"registered_capital"` // 元
	OwnershipType       string        `json:"ownership_type"`
	IndustryCode        string        `json:"industry_code"` // GB/T 4754-2017
	ChainNodeIDs        []string      `json:"chain_node_ids"`
	Stage               Stage         `json:"stage"`
	ScientistFounded    bool          `json:"scientist_founded"` // 知名科学家创办
	ReturneeFounded     bool          `json:"returnee_founded"`  // 海归创办
	Employees           int           `json:"employees"`
	Website             string        `json:"website"`
	ContactName         string        `json:"contact_name"`
	ContactPhone        string        `json:"contact_phone"`
	Description         string        `json:"description"`
	Tags                []string      `json:"tags"`
	CreatedAt           time.Time     `json:"created_at"`
	UpdatedAt           time.Time     `json:"updated_at"`
}

// Residency is a stay of an enterprise in a park (入驻), in some of its units.
type Residency struct {
	ID           string     `json:"id"`
	EnterpriseID string     `json:"enterprise_id"`
	ParkID       string     `json:"park_id"`
	UnitIDs      []string   `json:"unit_ids"`
	MoveIn       civil.Date `json:"move_in"`
	MoveOut      civil.Date `json:"move_out"` // null while resident
	Note         string     `json:"note"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// QualificationKind is a recognised status (资质).
type QualificationKind string

// QualificationKinds: 国家高新技术企业, 科技型中小企业, 创新型中小企业, 专精特新中小企业,
// 专精特新"小巨人", 瞪羚企业, 独角兽, 潜在独角兽, 上市公司, 在孵企业, 毕业企业.
var QualificationKinds = []QualificationKind{"high_tech", "tech_sme", "innovative_sme", "specialized_sme",
	"little_giant", "gazelle", "unicorn", "potential_unicorn", "listed", "incubating", "graduated"}

// ListingBoards for listed companies.
var ListingBoards = []string{"", "main", "star", "chinext", "bse", "hkex", "us"}

// Qualification is a certificate an enterprise holds.
type Qualification struct {
	ID            string            `json:"id"`
	EnterpriseID  string            `json:"enterprise_id"`
	Kind          QualificationKind `json:"kind"`
	CertificateNo string            `json:"certificate_no"`
	IssuedOn      civil.Date        `json:"issued_on"`
	ExpiresOn     civil.Date        `json:"expires_on"` // null: does not expire
	Board         string            `json:"board"`      // listed only
	Ticker        string            `json:"ticker"`     // listed only
	Note          string            `json:"note"`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
}

// Filter for enterprise lists.
type Filter struct {
	Q             string
	ParkID        string // record park or any residency in it
	Stage         Stage
	IndustryCode  string // prefix match: "27" finds every class of division 27
	Qualification QualificationKind
}

// QualificationFilter lists qualifications, e.g. those expiring soon.
type QualificationFilter struct {
	EnterpriseID   string
	ParkID         string // of enterprises kept by or resident in the park
	Kind           QualificationKind
	ExpiringBefore civil.Date
}

// ResidencyFilter lists residencies.
type ResidencyFilter struct {
	EnterpriseID string
	UnitID       string
	ParkID       string
	CurrentOn    civil.Date // resident on this day
}
