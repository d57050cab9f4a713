package enterprise

import "github.com/parkos/parkos/internal/civil"

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
