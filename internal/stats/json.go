package stats

import "github.com/parkos/parkos/internal/jsonw"

// AppendJSON writes the report as encoding/json would, without reflection: an import of 100,000
// rows writes each report twice into the audit trail (TestJSONIsWhatEncodingJSONWrites keeps
// the two the same).
func (r Report) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = jsonw.String(b, r.ID)
	b = append(b, `,"period_id":`...)
	b = jsonw.String(b, r.PeriodID)
	b = append(b, `,"enterprise_id":`...)
	b = jsonw.String(b, r.EnterpriseID)
	b = append(b, `,"park_id":`...)
	b = jsonw.String(b, r.ParkID)
	b = append(b, `,"status":`...)
	b = jsonw.String(b, string(r.Status))
	b = append(b, `,"figures":`...)
	b = r.Figures.AppendJSON(b)
	b = append(b, `,"confirmed_warnings":`...)
	b = jsonw.Strings(b, r.Confirmed)
	if r.ReturnReason != "" {
		b = append(b, `,"return_reason":`...)
		b = jsonw.String(b, r.ReturnReason)
	}
	b = append(b, `,"submissions":`...)
	b = jsonw.Int(b, int64(r.Submissions))
	if !r.SubmittedAt.IsZero() {
		b = append(b, `,"submitted_at":`...)
		b = jsonw.Time(b, r.SubmittedAt)
	}
	if !r.ReviewedAt.IsZero() {
		b = append(b, `,"reviewed_at":`...)
		b = jsonw.Time(b, r.ReviewedAt)
	}
	b = append(b, `,"updated_at":`...)
	b = jsonw.Time(b, r.UpdatedAt)
	return append(b, '}')
}
