package enterprise

import (
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

// ResidencyChange is what a change of a residency may set; NewResidency adds the enterprise,
// which a residency keeps for life.
type ResidencyChange struct {
	ParkID  string     `json:"park_id"`
	UnitIDs []string   `json:"unit_ids"`
	MoveIn  civil.Date `json:"move_in"`
	MoveOut civil.Date `json:"move_out"`
	Note    string     `json:"note"`
}

// NewResidency records an enterprise moving into a park.
type NewResidency struct {
	EnterpriseID string `json:"enterprise_id"`
	ResidencyChange
}

// ResidencyChangeOf is a residency's settable fields.
func ResidencyChangeOf(r Residency) ResidencyChange {
	return ResidencyChange{ParkID: r.ParkID, UnitIDs: r.UnitIDs, MoveIn: r.MoveIn, MoveOut: r.MoveOut, Note: r.Note}
}

// Apply sets the changed fields on r.
func (c ResidencyChange) Apply(r Residency) Residency {
	r.ParkID, r.UnitIDs, r.MoveIn, r.MoveOut, r.Note = c.ParkID, c.UnitIDs, c.MoveIn, c.MoveOut, c.Note
	return r
}

// Residency is the new residency.
func (n NewResidency) Residency() Residency {
	return n.ResidencyChange.Apply(Residency{EnterpriseID: n.EnterpriseID})
}

// QualificationChange is what a change of a qualification may set; NewQualification adds the
// enterprise that holds it.
type QualificationChange struct {
	Kind          QualificationKind `json:"kind"`
	CertificateNo string            `json:"certificate_no"`
	IssuedOn      civil.Date        `json:"issued_on"`
	ExpiresOn     civil.Date        `json:"expires_on"`
	Board         string            `json:"board"`
	Ticker        string            `json:"ticker"`
	Note          string            `json:"note"`
}

// NewQualification records a qualification an enterprise holds.
type NewQualification struct {
	EnterpriseID string `json:"enterprise_id"`
	QualificationChange
}

// QualificationChangeOf is a qualification's settable fields.
func QualificationChangeOf(q Qualification) QualificationChange {
	return QualificationChange{Kind: q.Kind, CertificateNo: q.CertificateNo, IssuedOn: q.IssuedOn, ExpiresOn: q.ExpiresOn,
		Board: q.Board, Ticker: q.Ticker, Note: q.Note}
}

// Apply sets the changed fields on q.
func (c QualificationChange) Apply(q Qualification) Qualification {
	q.Kind, q.CertificateNo, q.IssuedOn, q.ExpiresOn = c.Kind, c.CertificateNo, c.IssuedOn, c.ExpiresOn
	q.Board, q.Ticker, q.Note = c.Board, c.Ticker, c.Note
	return q
}

// Qualification is the new qualification.
func (n NewQualification) Qualification() Qualification {
	return n.QualificationChange.Apply(Qualification{EnterpriseID: n.EnterpriseID})
}

// NewEnterprise is what a caller sets on an enterprise, on creating it and on changing it
// (EnterpriseChange).
type NewEnterprise struct {
	ParkID              string        `json:"park_id"`
	Name                string        `json:"name"`
	NameEn              string        `json:"name_en"`
	CreditCode          string        `json:"credit_code"`
	LegalRepresentative string        `json:"legal_representative"`
	FoundedOn           civil.Date    `json:"founded_on"`
	RegisteredCapital   measure.Money `json:"registered_capital"`
	OwnershipType       string        `json:"ownership_type"`
	IndustryCode        string        `json:"industry_code"`
	ChainNodeIDs        []string      `json:"chain_node_ids"`
	Stage               Stage         `json:"stage"`
	ScientistFounded    bool          `json:"scientist_founded"`
	ReturneeFounded     bool          `json:"returnee_founded"`
	Employees           int           `json:"employees"`
	Website             string        `json:"website"`
	ContactName         string        `json:"contact_name"`
	ContactPhone        string        `json:"contact_phone"`
	Description         string        `json:"description"`
	Tags                []string      `json:"tags"`
}

// EnterpriseChange is what a change of an enterprise may set: the same fields, none required
// in a patch.
type EnterpriseChange NewEnterprise

// EnterpriseChangeOf is an enterprise's settable fields.
func EnterpriseChangeOf(e Enterprise) EnterpriseChange {
	return EnterpriseChange{ParkID: e.ParkID, Name: e.Name, NameEn: e.NameEn, CreditCode: e.CreditCode,
		LegalRepresentative: e.LegalRepresentative, FoundedOn: e.FoundedOn, RegisteredCapital: e.RegisteredCapital,
		OwnershipType: e.OwnershipType, IndustryCode: e.IndustryCode, ChainNodeIDs: e.ChainNodeIDs, Stage: e.Stage,
		ScientistFounded: e.ScientistFounded, ReturneeFounded: e.ReturneeFounded, Employees: e.Employees, Website: e.Website,
		ContactName: e.ContactName, ContactPhone: e.ContactPhone, Description: e.Description, Tags: e.Tags}
}

// Apply sets the changed fields on e.
func (c EnterpriseChange) Apply(e Enterprise) Enterprise {
	id, created, updated := e.ID, e.CreatedAt, e.UpdatedAt
	e = NewEnterprise(c).Enterprise()
	e.ID, e.CreatedAt, e.UpdatedAt = id, created, updated
	return e
}

// Enterprise is the new enterprise.
func (c NewEnterprise) Enterprise() Enterprise {
	return Enterprise{ParkID: c.ParkID, Name: c.Name, NameEn: c.NameEn, CreditCode: c.CreditCode,
		LegalRepresentative: c.LegalRepresentative, FoundedOn: c.FoundedOn, RegisteredCapital: c.RegisteredCapital,
		OwnershipType: c.OwnershipType, IndustryCode: c.IndustryCode, ChainNodeIDs: c.ChainNodeIDs, Stage: c.Stage,
		ScientistFounded: c.ScientistFounded, ReturneeFounded: c.ReturneeFounded, Employees: c.Employees, Website: c.Website,
		ContactName: c.ContactName, ContactPhone: c.ContactPhone, Description: c.Description, Tags: c.Tags}
}
