package servicedesk

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/booking"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/notify"
	"github.com/parkos/parkos/internal/page"
)

func link(t Ticket) string { return "/services/requests/" + t.ID }

// Submit files a request of the caller's enterprise with its park (enterprise users), or a
// demand of a park with the authority (the park's staff): its category sets the SLA clocks,
// counted from now in the park's working hours, and routes it to a provider.
func (s *Service) Submit(ctx context.Context, sc identity.Scope, kind Kind, n NewTicket) (Ticket, error) {
	if err := n.Validate(); err != nil {
		return Ticket{}, err
	}
	t := Ticket{ID: s.st.NewID(), Kind: kind, SubmittedBy: sc.Username, Title: n.Title, Body: n.Body, Status: Open}
	switch {
	case kind == Request && sc.Role.IsEnterprise() && sc.EnterpriseID != "":
		ent, err := s.st.GetEnterprise(ctx, sc, sc.EnterpriseID)
		if err != nil {
			return Ticket{}, err
		}
		if ent.ParkID == "" {
			return Ticket{}, apperr.FieldProblem("park_id", "no_park", "贵企业不在任何园区，无法提交园区服务请求", "your enterprise is in no park, so it has no park to ask")
		}
		if n.ParkID != "" && n.ParkID != ent.ParkID {
			return Ticket{}, apperr.FieldProblem("park_id", "not_found", "只能向本企业所在园区提交", "requests go to your enterprise's own park")
		}
		t.ParkID, t.EnterpriseID, t.EnterpriseName = ent.ParkID, ent.ID, ent.Name
	case kind == Demand && sc.May(identity.HandleServices) && sc.Role != identity.Admin:
		if n.ParkID == "" {
			return Ticket{}, apperr.FieldProblem("park_id", "required", "必填", "required")
		}
		if err := s.bodyPark(ctx, sc, n.ParkID); err != nil {
			return Ticket{}, err
		}
		if !sc.HasPark(n.ParkID) {
			return Ticket{}, apperr.ErrForbidden()
		}
		t.ParkID = n.ParkID
	default:
		return Ticket{}, apperr.New(apperr.Forbidden, "企业用户提交服务请求，园区服务人员向管委会提交诉求",
			"an enterprise's users submit requests, a park's service staff raise demands")
	}
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		filed, err := s.file(ctx, sc, t, n)
		if err != nil {
			return err
		}
		// Read back, so the answer is what a later read gives (the park's name, whole seconds).
		if t, err = s.st.GetTicket(ctx, sc, filed.ID); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "create", "service_request", t.ID, nil, t)
	})
	t.Breaches(s.clock.Now())
	return t, err
}

// file checks a new ticket's category, offering and unit, sets its clocks and routing, writes it
// and tells whoever works it, in the transaction of ctx.
func (s *Service) file(ctx context.Context, sc identity.Scope, t Ticket, n NewTicket) (Ticket, error) {
	cat, err := s.st.GetCategory(ctx, sc, n.CategoryID)
	if apperr.Is(err, apperr.NotFound) || err == nil && (cat.Kind != t.Kind || !cat.Active || cat.ParkID != "" && cat.ParkID != t.ParkID) {
		return t, apperr.FieldProblem("category_id", "not_found", "没有该服务类别", "no such category")
	}
	if err != nil {
		return t, err
	}
	t.CategoryID, t.CategoryZh, t.CategoryEn, t.Platform = cat.ID, cat.NameZh, cat.NameEn, cat.Platform
	if n.OfferingID != "" {
		o, err := s.st.GetOffering(ctx, sc, n.OfferingID)
		if apperr.Is(err, apperr.NotFound) || err == nil && (o.ParkID != t.ParkID || !o.Active || t.Kind == Demand) {
			return t, apperr.FieldProblem("offering_id", "not_found", "本园区没有该服务项目", "the park has no such offering")
		}
		if err != nil {
			return t, err
		}
		t.OfferingID, t.Platform, t.ProviderID = o.ID, o.Platform, o.ProviderID
	}
	if n.UnitID != "" {
		if t.UnitCode, err = s.st.ParkUnit(ctx, sc, t.ParkID, n.UnitID); apperr.Is(err, apperr.NotFound) {
			return t, apperr.FieldProblem("unit_id", "not_found", "本园区没有该单元", "the park has no such unit")
		} else if err != nil {
			return t, err
		}
		t.UnitID = n.UnitID
	} else if cat.NeedsUnit {
		return t, apperr.FieldProblem("unit_id", "required", "物业报修须注明单元", "a repair names its unit")
	}
	if t.ProviderID == "" {
		t.ProviderID = cat.ProviderID
	}
	calendarPark := t.ParkID
	now := s.clock.Now()
	cal, err := s.Calendar(ctx, calendarPark, now)
	if err != nil {
		return t, err
	}
	t.SubmittedAt, t.UpdatedAt = now, now
	t.ResponseDue, t.ResolutionDue = cal.Add(now, cat.ResponseHours), cal.Add(now, cat.ResolutionHours)
	if err := s.st.InsertTicket(ctx, t); err != nil {
		return t, err
	}
	m := notify.Message{Kind: "service_request", Link: link(t), TitleZh: "新服务请求：" + t.Title, TitleEn: "New service request: " + t.Title,
		BodyZh: t.CategoryZh + "，响应时限 " + at(t.ResponseDue), BodyEn: t.CategoryEn + ", respond by " + at(t.ResponseDue)}
	if t.Kind == Demand {
		m.TitleZh, m.TitleEn = "园区诉求："+t.Title, "Park demand: "+t.Title
		return t, s.tell(func(n Notifier) error { return n.TellAuthority(ctx, m) })
	}
	if t.ProviderID != "" {
		p, err := s.st.GetProvider(ctx, identity.System(), t.ProviderID)
		if err != nil {
			return t, err
		}
		t.ProviderName = p.Name
		if len(p.Members) > 0 {
			return t, s.tell(func(n Notifier) error {
				for _, u := range p.Members {
					if err := n.TellUser(ctx, u, m); err != nil {
						return err
					}
				}
				return nil
			})
		}
	}
	return t, s.tell(func(n Notifier) error { return n.TellParkStaff(ctx, t.ParkID, m) })
}

func at(t time.Time) string { return t.In(civil.Shanghai).Format("2006-01-02 15:04") }

// Tickets lists tickets in the caller's scope, by queue and filters.
func (s *Service) Tickets(ctx context.Context, sc identity.Scope, f Filter, req page.Request) (page.Page[Ticket], error) {
	if f.Queue == "" {
		f.Queue = "all"
	}
	if !slices.Contains(Queues, f.Queue) {
		return page.Page[Ticket]{}, apperr.FieldProblem("queue", "unknown_value", "队列应为 all、mine、team、breached、due_today 或 open", "queue must be all, mine, team, breached, due_today or open")
	}
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		return page.Page[Ticket]{}, apperr.FieldProblem("status", "unknown_value", "状态应为 open、assigned、in_progress、resolved 或 closed", "status must be open, assigned, in_progress, resolved or closed")
	}
	if f.Kind == "" {
		f.Kind = Request
	}
	if f.Kind != Request && f.Kind != Demand {
		return page.Page[Ticket]{}, apperr.FieldProblem("kind", "unknown_value", "类型应为 request 或 demand", "kind must be request or demand")
	}
	now := s.clock.Now()
	today := s.clock.Today()
	f.Username, f.Now = sc.Username, now
	f.DayStart = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, civil.Shanghai)
	f.DayEnd = f.DayStart.AddDate(0, 0, 1)
	p, err := s.st.ListTickets(ctx, sc, f, req)
	for i := range p.Items {
		p.Items[i].Breaches(now)
	}
	return p, err
}

// Ticket is one ticket with the comments the caller may read (internal ones for staff only)
// and its attachments.
func (s *Service) Ticket(ctx context.Context, sc identity.Scope, id string) (Detail, error) {
	t, err := s.st.GetTicket(ctx, sc, id)
	if err != nil {
		return Detail{}, err
	}
	t.Breaches(s.clock.Now())
	d := Detail{Ticket: t}
	if d.Comments, err = s.st.Comments(ctx, id, s.isHandler(sc, t)); err != nil {
		return d, err
	}
	d.Attachments, err = s.st.Attachments(ctx, id)
	return d, err
}

// Options are what the handler of a ticket may choose from: the people it can be assigned to,
// the providers it can be routed to, and the themes it can be escalated under.
type Options struct {
	Assignees []string   `json:"assignees"`
	Providers []Provider `json:"providers"`
	Themes    []Category `json:"themes"`
}

// HandlerOptions are a ticket's choices for the caller who works it (none for anyone else).
func (s *Service) HandlerOptions(ctx context.Context, sc identity.Scope, t Ticket) (Options, error) {
	var o Options
	if !s.isHandler(sc, t) {
		return o, nil
	}
	park := t.ParkID
	if t.Kind == Demand {
		park = ""
	}
	var err error
	if o.Assignees, err = s.st.StaffOf(ctx, park); err != nil {
		return o, err
	}
	if o.Providers, err = s.st.Providers(ctx, park); err != nil {
		return o, err
	}
	if t.Kind == Request && t.EscalatedTo == "" {
		o.Themes, err = s.Themes(ctx)
	}
	return o, err
}

// isHandler: the caller works this ticket (staff of its park, or the authority for a demand).
func (s *Service) isHandler(sc identity.Scope, t Ticket) bool { return mayHandle(sc, t.Kind, t.ParkID) }

// isSubmitter: the caller speaks for who filed it (its enterprise, or its park's staff for a
// demand).
func isSubmitter(sc identity.Scope, t Ticket) bool {
	if t.Kind == Demand {
		return sc.May(identity.HandleServices) && sc.HasPark(t.ParkID) && sc.Role != identity.Admin
	}
	return sc.Role.IsEnterprise() && sc.EnterpriseID == t.EnterpriseID
}

// moves are a ticket's actions: from which statuses, to which (empty: unchanged), and whether
// the handler (else the submitter) takes it.
var moves = map[string]struct {
	from    []Status
	to      Status
	handler bool
}{
	"assign":   {[]Status{Open, Assigned, InProgress}, "", true},
	"start":    {[]Status{Open, Assigned}, InProgress, true},
	"resolve":  {[]Status{Open, Assigned, InProgress}, Resolved, true},
	"close":    {[]Status{Resolved}, Closed, false},
	"reopen":   {[]Status{Resolved, Closed}, "", false},
	"escalate": {[]Status{Open, Assigned, InProgress}, "", true},
}

// Act moves a ticket on (§7): the handler assigns it to a person and/or provider, starts and
// resolves it (a priced offering is charged on resolution), or escalates an enterprise's
// request to the authority as the park's demand; the submitter closes or reopens it.
func (s *Service) Act(ctx context.Context, sc identity.Scope, id string, a Action) (Ticket, error) {
	mv, ok := moves[a.Action]
	if !ok {
		return Ticket{}, apperr.FieldProblem("action", "unknown_value", "操作应为 assign、start、resolve、close、reopen 或 escalate",
			"action must be assign, start, resolve, close, reopen or escalate")
	}
	var f apperr.Fields
	check.Field(&f, "note", a.Note, a.Action == "reopen" || a.Action == "escalate", 2000)
	if a.Action == "assign" && a.Assignee == "" && a.ProviderID == "" {
		f.Add("assignee", "required", "请指定处理人或服务商", "name an assignee or a provider")
	}
	if a.Action == "escalate" && a.CategoryID == "" {
		f.Required("category_id")
	}
	if err := f.Err(); err != nil {
		return Ticket{}, err
	}
	before, err := s.st.GetTicket(ctx, sc, id)
	if err != nil {
		return Ticket{}, err
	}
	if mv.handler && !s.isHandler(sc, before) || !mv.handler && !isSubmitter(sc, before) && !s.isHandler(sc, before) {
		return Ticket{}, apperr.ErrForbidden()
	}
	if a.Action == "escalate" && (before.Kind != Request || before.EscalatedTo != "") {
		return Ticket{}, apperr.FieldProblem("action", "not_escalable", "只有尚未上报的企业服务请求可以上报管委会", "only an enterprise's request not yet escalated can be escalated")
	}
	var out Ticket
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		t, err := s.st.LockTicket(ctx, sc, id)
		if err != nil {
			return err
		}
		if !slices.Contains(mv.from, t.Status) {
			return apperr.New(apperr.Conflict, fmt.Sprintf("请求状态为 %s，不能执行此操作", t.Status),
				fmt.Sprintf("a request that is %s cannot be moved this way", t.Status)).WithField("action", "status")
		}
		prior := t
		now := s.clock.Now()
		handler := s.isHandler(sc, t)
		switch a.Action {
		case "assign":
			if err := s.assign(ctx, sc, &t, a); err != nil {
				return err
			}
			if t.Status == Open && t.Assignee != "" {
				t.Status = Assigned
			}
		case "reopen":
			// The work is judged again when it is resolved again.
			t.Status, t.ResolvedAt, t.ClosedAt, t.Rating, t.RatingComment = Open, nil, nil, 0, ""
			if t.Assignee != "" {
				t.Status = Assigned
			}
			t.Reopened++
		case "escalate":
			if err := s.escalate(ctx, sc, &t, a); err != nil {
				return err
			}
		default:
			t.Status = mv.to
		}
		switch t.Status {
		case Resolved:
			t.ResolvedAt = &now
		case Closed:
			t.ClosedAt = &now
		}
		if handler && t.RespondedAt == nil && (t.Assignee != "" || t.Status == InProgress || t.Status == Resolved) {
			t.RespondedAt = &now
		}
		t.UpdatedAt = now
		if err := s.st.SaveTicket(ctx, t); err != nil {
			return err
		}
		if a.Note != "" {
			// A note to the authority stays with the staff; the others are the submitter's to read.
			c := Comment{ID: s.st.NewID(), Author: sc.Username, Body: a.Note, Internal: a.Action == "escalate", CreatedAt: now}
			if err := s.st.InsertComment(ctx, t.ID, c); err != nil {
				return err
			}
		}
		if t.Status == Resolved && t.OfferingID != "" && t.EnterpriseID != "" {
			if err := s.charge(ctx, sc, t); err != nil {
				return err
			}
		}
		if err := s.st.Record(ctx, sc, a.Action, "service_request", t.ID, prior, t); err != nil {
			return err
		}
		out = t
		return s.announce(ctx, sc, prior, t, a)
	})
	out.Breaches(s.clock.Now())
	return out, err
}

// assign gives the ticket to a person (staff of its park, or of the authority for a demand)
// and/or a provider of the same park.
func (s *Service) assign(ctx context.Context, sc identity.Scope, t *Ticket, a Action) error {
	park := t.ParkID
	if t.Kind == Demand {
		park = ""
	}
	if a.ProviderID != "" {
		p, err := s.st.GetProvider(ctx, sc, a.ProviderID)
		if apperr.Is(err, apperr.NotFound) || err == nil && p.ParkID != park {
			return apperr.FieldProblem("provider_id", "not_found", "没有该服务商", "no such provider")
		}
		if err != nil {
			return err
		}
		t.ProviderID, t.ProviderName = p.ID, p.Name
	}
	if a.Assignee != "" {
		name, err := s.st.StaffName(ctx, park, a.Assignee)
		if err != nil {
			return err
		}
		if name == "" {
			return apperr.FieldProblem("assignee", "not_staff", "处理人须为在职的服务人员", "the assignee must be an active member of the staff who work it")
		}
		t.Assignee = name
	}
	return nil
}

// escalate raises the park's demand to the authority from an enterprise's request, under a theme.
func (s *Service) escalate(ctx context.Context, sc identity.Scope, t *Ticket, a Action) error {
	d := Ticket{ID: s.st.NewID(), Kind: Demand, ParkID: t.ParkID, SubmittedBy: sc.Username, Title: t.Title, Status: Open,
		Body: a.Note + "\n\n—— " + t.EnterpriseName + "：" + t.Body, EscalatedFrom: t.ID}
	d, err := s.file(ctx, sc, d, NewTicket{CategoryID: a.CategoryID, Title: d.Title, Body: d.Body})
	if err != nil {
		return err
	}
	if err := s.st.Record(ctx, sc, "create", "service_request", d.ID, nil, d); err != nil {
		return err
	}
	t.EscalatedTo = d.ID
	return nil
}

// charge bills a resolved request's priced offering to its enterprise, once per request.
func (s *Service) charge(ctx context.Context, sc identity.Scope, t Ticket) error {
	o, err := s.st.GetOffering(ctx, sc, t.OfferingID)
	if err != nil {
		return err
	}
	if o.Price == 0 {
		return nil
	}
	rule := fmt.Sprintf("%s：%s / %s", o.Name, o.Price, o.PriceUnit)
	return s.st.InsertCharge(ctx, booking.Charge{ID: s.st.NewID(), ParkID: t.ParkID, EnterpriseID: t.EnterpriseID, Source: "service_request",
		SourceID: t.ID, Amount: o.Price, Rule: rule, On: civil.FromTime(*t.ResolvedAt)})
}

// announce tells the people an action concerns: the new assignee, and the submitter of a
// change of status (the assignee of a reopening).
func (s *Service) announce(ctx context.Context, sc identity.Scope, before, t Ticket, a Action) error {
	return s.tell(func(n Notifier) error {
		if t.Assignee != "" && t.Assignee != before.Assignee {
			if err := n.TellUser(ctx, t.Assignee, notify.Message{Kind: "service_assigned", Link: link(t),
				TitleZh: "分派给您：" + t.Title, TitleEn: "Assigned to you: " + t.Title,
				BodyZh: "解决时限 " + at(t.ResolutionDue), BodyEn: "resolve by " + at(t.ResolutionDue)}); err != nil {
				return err
			}
		}
		if t.Status == before.Status && a.Action != "escalate" {
			return nil
		}
		m := notify.Message{Kind: "service_status", Link: link(t), TitleZh: "服务请求" + statusZh[t.Status] + "：" + t.Title,
			TitleEn: "Request " + string(t.Status) + ": " + t.Title, BodyZh: a.Note, BodyEn: a.Note}
		if a.Action == "escalate" {
			m.TitleZh, m.TitleEn = "已上报管委会："+t.Title, "Escalated to the authority: "+t.Title
		}
		if a.Action == "reopen" {
			if t.Assignee != "" {
				return n.TellUser(ctx, t.Assignee, m)
			}
			return n.TellParkStaff(ctx, t.ParkID, m)
		}
		if before.SubmittedBy != sc.Username {
			return n.TellUser(ctx, before.SubmittedBy, m)
		}
		return nil
	})
}

var statusZh = map[Status]string{Open: "待处理", Assigned: "已分派", InProgress: "处理中", Resolved: "已解决", Closed: "已关闭"}

// Comment adds a note: the submitter's are always visible, the handler's visible or internal.
// A visible note by the handler counts as the response.
func (s *Service) Comment(ctx context.Context, sc identity.Scope, id string, n NewComment) (Comment, error) {
	if err := n.Validate(); err != nil {
		return Comment{}, err
	}
	t, err := s.st.GetTicket(ctx, sc, id)
	if err != nil {
		return Comment{}, err
	}
	handler := s.isHandler(sc, t)
	if !handler && !isSubmitter(sc, t) {
		return Comment{}, apperr.ErrForbidden()
	}
	if n.Internal && !handler {
		return Comment{}, apperr.FieldProblem("internal", "staff_only", "只有处理方可以写内部备注", "only those who work the request write internal notes")
	}
	now := s.clock.Now()
	c := Comment{ID: s.st.NewID(), Author: sc.Username, Internal: n.Internal, Body: n.Body, CreatedAt: now}
	return c, s.st.InTx(ctx, func(ctx context.Context) error {
		t, err := s.st.LockTicket(ctx, sc, id)
		if err != nil {
			return err
		}
		if err := s.st.InsertComment(ctx, id, c); err != nil {
			return err
		}
		if handler && !n.Internal && t.RespondedAt == nil {
			t.RespondedAt, t.UpdatedAt = &now, now
			if err := s.st.SaveTicket(ctx, t); err != nil {
				return err
			}
		}
		if err := s.st.Record(ctx, sc, "comment", "service_request", id, nil, noteOf(t, c)); err != nil {
			return err
		}
		if n.Internal {
			return nil
		}
		to := t.SubmittedBy
		if !handler {
			to = t.Assignee
		}
		if to == "" || to == sc.Username {
			return nil
		}
		return s.tell(func(nt Notifier) error {
			return nt.TellUser(ctx, to, notify.Message{Kind: "service_comment", Link: link(t),
				TitleZh: "新留言：" + t.Title, TitleEn: "New comment: " + t.Title, BodyZh: c.Body, BodyEn: c.Body})
		})
	})
}

// noteOf is a comment as the audit trail files it: an internal note is filed away from the
// submitter (a tenant reads its enterprise's entries, a park its park's), so it stays with those
// who work the ticket.
func noteOf(t Ticket, c Comment) Note {
	n := Note{TicketID: t.ID, ParkID: t.ParkID, EnterpriseID: t.EnterpriseID, Comment: &c}
	if c.Internal {
		n.EnterpriseID = ""
		if t.Kind == Demand {
			n.ParkID = ""
		}
	}
	return n
}

// Rate records the submitter's 1–5 rating of resolved work, which closes the ticket.
func (s *Service) Rate(ctx context.Context, sc identity.Scope, id string, r Rating) (Ticket, error) {
	if err := r.Validate(); err != nil {
		return Ticket{}, err
	}
	before, err := s.st.GetTicket(ctx, sc, id)
	if err != nil {
		return Ticket{}, err
	}
	if !isSubmitter(sc, before) {
		return Ticket{}, apperr.ErrForbidden()
	}
	var out Ticket
	err = s.st.InTx(ctx, func(ctx context.Context) error {
		t, err := s.st.LockTicket(ctx, sc, id)
		if err != nil {
			return err
		}
		if !t.Status.Finished() || t.Rating != 0 {
			return apperr.New(apperr.Conflict, "只能对已解决且尚未评价的请求评分", "only resolved work not rated yet can be rated").WithField("rating", "status")
		}
		prior := t
		now := s.clock.Now()
		t.Rating, t.RatingComment, t.Status, t.UpdatedAt = r.Rating, r.Comment, Closed, now
		if t.ClosedAt == nil {
			t.ClosedAt = &now
		}
		if err := s.st.SaveTicket(ctx, t); err != nil {
			return err
		}
		out = t
		return s.st.Record(ctx, sc, "rate", "service_request", id, prior, t)
	})
	out.Breaches(s.clock.Now())
	return out, err
}

// WarnDueSoon tells whoever works each unfinished ticket whose resolution falls due within the
// next hour, once per ticket, and says how many it told.
func (s *Service) WarnDueSoon(ctx context.Context) (int, error) {
	n := 0
	err := s.st.InTx(ctx, func(ctx context.Context) error {
		due, err := s.st.ClaimDueSoon(ctx, s.clock.Now().Add(time.Hour))
		if err != nil {
			return err
		}
		n = len(due)
		for _, t := range due {
			m := notify.Message{Kind: "service_sla", Link: link(t), TitleZh: "即将超时：" + t.Title, TitleEn: "SLA about to breach: " + t.Title,
				BodyZh: "解决时限 " + at(t.ResolutionDue), BodyEn: "resolve by " + at(t.ResolutionDue)}
			err := s.tell(func(nt Notifier) error {
				switch {
				case t.Assignee != "":
					return nt.TellUser(ctx, t.Assignee, m)
				case t.Kind == Demand:
					return nt.TellAuthority(ctx, m)
				}
				return nt.TellParkStaff(ctx, t.ParkID, m)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}
