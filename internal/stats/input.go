package stats

import "github.com/parkos/parkos/internal/civil"

// NewPeriod opens a reporting period: a park's (or, without one, every park's for the
// authority), for some of its enterprises or all of them. Its span follows from kind, year and
// seq.
type NewPeriod struct {
	ParkID        string     `json:"park_id,omitempty"`
	Kind          Kind       `json:"kind"`
	Year          int        `json:"year"`
	Seq           int        `json:"seq"`
	Deadline      civil.Date `json:"deadline"`
	EnterpriseIDs []string   `json:"enterprise_ids"`
}

// Period is the new period.
func (n NewPeriod) Period() Period {
	return Period{ParkID: n.ParkID, Kind: n.Kind, Year: n.Year, Seq: n.Seq, Deadline: n.Deadline, EnterpriseIDs: n.EnterpriseIDs}
}
