// Package audit is the trail of every change (§10): who, when, what entity, before and after.
// Entries are written in the same transaction as the change and are never updated or deleted.
package audit

import (
	"encoding/json"
	"time"

	"github.com/parkos/parkos/internal/civil"
)

// Entry is one recorded change.
type Entry struct {
	ID           string          `json:"id"`
	At           time.Time       `json:"at"`
	UserID       string          `json:"user_id"`
	Username     string          `json:"username"`
	Role         string          `json:"role"`
	Source       string          `json:"source"` // ui | api | cli | system
	Action       string          `json:"action"` // create | update | delete | split | merge | login | logout | set_password | activate | terminate | amend
	Entity       string          `json:"entity"` // park | zone | building | floor | unit | enterprise | residency | qualification | user | api_token | session
	EntityID     string          `json:"entity_id"`
	ParkID       string          `json:"park_id"`
	EnterpriseID string          `json:"enterprise_id"`
	Before       json.RawMessage `json:"before"`
	After        json.RawMessage `json:"after"`
}

// Change is one change for the trail: what was done to which entity, its state before and after
// (nil where there is none).
type Change struct {
	Action, Entity, ID string
	Before, After      any
}

// Filter narrows the audit list.
type Filter struct {
	Entity   string
	EntityID string
	UserID   string
	Action   string
	ParkID   string
	From, To civil.Date // inclusive days in Asia/Shanghai
}

// Entities and Actions list the recorded kinds, for filters.
var (
	Entities = []string{"park", "zone", "building", "floor", "unit", "enterprise", "residency", "qualification", "user", "api_token", "session", "contract", "lead", "hold", "target", "report_period", "report",
		"pool_entry", "goal", "evaluation_scheme", "evaluation", "indicator", "park_figures", "park_attribute",
		"resource", "booking", "certificate", "holiday", "calendar_feed", "notification_preferences", "webhook", "notification",
		"service_platform", "service_provider", "service_offering", "service_category", "working_hours", "service_request",
		"billing_run", "bill", "payment", "deposit", "late_fee", "invoice_details", "billing_settings",
		"policy", "policy_application", "event", "event_registration"}
	Actions = []string{"create", "update", "delete", "split", "merge", "login", "logout", "set_password", "activate", "terminate", "amend", "move", "activity", "convert", "release", "submit", "approve", "return", "import", "close",
		"enter", "change_tier", "recognise", "record_actual", "run", "set_attribute",
		"reject", "check_in", "complete", "no_show", "cancel", "revoke", "read",
		"assign", "start", "resolve", "reopen", "escalate", "comment", "rate", "attach",
		"issue", "write_off", "reverse", "settle", "request_invoice", "record_invoice",
		"publish", "withdraw", "grant", "confirm", "review", "disburse", "note", "register", "promote"}
)
