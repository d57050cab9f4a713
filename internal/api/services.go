package api

import (
	"net/http"

	"github.com/parkos/parkos/internal/page"
	"github.com/parkos/parkos/internal/servicedesk"
)

// WorkingHours is a park's working week, the calendar its SLA clocks run in.
type WorkingHours struct {
	Hours []servicedesk.WorkingWindow `json:"hours"`
}

func (s *Server) serviceRoutes() []route {
	sv := s.svc
	ticketBody := func(c *call, kind servicedesk.Kind) (any, error) {
		var in servicedesk.NewTicket
		if err := c.decode(&in); err != nil {
			return nil, err
		}
		return sv.Services.Submit(c.ctx, c.scope, kind, in)
	}
	return []route{
		{Method: "GET", Pattern: "/api/v1/parks/{id}/service-catalog", Tag: "services",
			Summary:  "园区服务目录：服务体系与平台、服务类别及时限、服务商与服务项目 / A park's service catalog: platforms, categories with their SLAs, providers and offerings",
			Response: servicedesk.Catalog{}, handle: func(c *call) (any, error) { return sv.Services.Catalog(c.ctx, c.scope, c.id()) }},
		{Method: "PUT", Pattern: "/api/v1/parks/{id}/service-platforms/{code}", Tag: "services",
			Summary: "修改、停用或新增园区的服务平台 / Rename, hide or add a platform of a park",
			Body:    servicedesk.Platform{}, Response: servicedesk.Platform{}, handle: func(c *call) (any, error) {
				var in servicedesk.Platform
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				in.Code = c.r.PathValue("code")
				return sv.Services.SavePlatform(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "GET", Pattern: "/api/v1/parks/{id}/working-hours", Tag: "services",
			Summary:  "园区工作时间（服务时限按此计算，节假日除外） / A park's working week (SLA clocks run in it, holidays excluded)",
			Response: WorkingHours{}, handle: func(c *call) (any, error) {
				h, err := sv.Services.WorkingHours(c.ctx, c.scope, c.id())
				return WorkingHours{Hours: h}, err
			}},
		{Method: "PUT", Pattern: "/api/v1/parks/{id}/working-hours", Tag: "services",
			Summary: "设置园区工作时间（已提交的请求时限不变） / Set a park's working week (requests submitted keep their dues)",
			Body:    WorkingHours{}, Response: WorkingHours{}, handle: func(c *call) (any, error) {
				var in WorkingHours
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				h, err := sv.Services.SetWorkingHours(c.ctx, c.scope, c.id(), in.Hours)
				return WorkingHours{Hours: h}, err
			}},
		{Method: "GET", Pattern: "/api/v1/service-themes", Tag: "services",
			Summary:  "园区诉求的主题（管委会的类别及时限） / Themes of park demands (the authority's categories and SLAs)",
			Response: []servicedesk.Category{}, handle: func(c *call) (any, error) { return sv.Services.Themes(c.ctx) }},
		{Method: "POST", Pattern: "/api/v1/service-providers", Tag: "services",
			Summary: "新增服务商：园区团队（成员为服务人员）或第三方；不指定园区为管委会处室 / Add a provider: a park's team (staff members) or a third party; no park: an authority department",
			Body:    servicedesk.NewProvider{}, Response: servicedesk.Provider{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in servicedesk.NewProvider
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Services.AddProvider(c.ctx, c.scope, in)
			}},
		{Method: "POST", Pattern: "/api/v1/service-offerings", Tag: "services",
			Summary: "新增服务项目（价格、办理周期） / Add an offering with its price and lead time",
			Body:    servicedesk.NewOffering{}, Response: servicedesk.Offering{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in servicedesk.NewOffering
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Services.AddOffering(c.ctx, c.scope, in)
			}},
		{Method: "POST", Pattern: "/api/v1/service-categories", Tag: "services",
			Summary: "新增园区服务类别（响应与解决时限、分派规则）；同编码替换默认类别 / Add a park's category (SLA, routing); one with a default's code replaces it",
			Body:    servicedesk.NewCategory{}, Response: servicedesk.Category{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in servicedesk.NewCategory
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Services.AddCategory(c.ctx, c.scope, in)
			}},
		{Method: "GET", Pattern: "/api/v1/service-requests", Tag: "services",
			Summary: "服务请求与园区诉求：按队列与条件 / Service requests and park demands, by queue and filters",
			Query: []param{{"kind", "string", "request（企业服务请求，默认） | demand（园区诉求）"},
				{"queue", "string", "all | mine | team | breached | due_today | open"}, {"park_id", "string", "园区 / park"},
				{"enterprise_id", "string", "企业 / enterprise"}, {"platform", "string", "服务平台 / platform"},
				{"status", "string", "open | assigned | in_progress | resolved | closed"},
				describeSorts("submitted", "due"), pageParams[0], pageParams[1]},
			Response: page.Page[servicedesk.Ticket]{}, handle: func(c *call) (any, error) {
				f := servicedesk.Filter{Kind: servicedesk.Kind(c.q.Str("kind")), Queue: c.q.Str("queue"), ParkID: c.q.Str("park_id"),
					EnterpriseID: c.q.Str("enterprise_id"), Platform: c.q.Str("platform"), Status: servicedesk.Status(c.q.Str("status"))}
				req := c.q.Page()
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Services.Tickets(c.ctx, c.scope, f, req)
			}},
		{Method: "POST", Pattern: "/api/v1/service-requests", Tag: "services",
			Summary: "企业提交服务请求（物业报修须注明单元）；按类别计时并分派 / An enterprise submits a request (a repair names its unit); timed and routed by category",
			Body:    servicedesk.NewTicket{}, Response: servicedesk.Ticket{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				return ticketBody(c, servicedesk.Request)
			}},
		{Method: "POST", Pattern: "/api/v1/service-demands", Tag: "services",
			Summary: "园区向管委会提交诉求（政企联动） / A park raises a demand with the authority",
			Body:    servicedesk.NewTicket{}, Response: servicedesk.Ticket{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				return ticketBody(c, servicedesk.Demand)
			}},
		{Method: "GET", Pattern: "/api/v1/service-requests/{id}", Tag: "services",
			Summary:  "服务请求或诉求：留言（内部备注仅处理方可见）与附件 / A request or demand with its comments (internal ones for those who work it) and attachments",
			Response: servicedesk.Detail{}, handle: func(c *call) (any, error) { return sv.Services.Ticket(c.ctx, c.scope, c.id()) }},
		{Method: "POST", Pattern: "/api/v1/service-requests/{id}/actions", Tag: "services",
			Summary: "推进：assign、start、resolve（处理方）；close、reopen（提交方）；escalate（园区上报管委会） / Move on: assign, start, resolve; close, reopen; escalate to the authority",
			Body:    servicedesk.Action{}, Response: servicedesk.Ticket{}, handle: func(c *call) (any, error) {
				var in servicedesk.Action
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Services.Act(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/service-requests/{id}/comments", Tag: "services",
			Summary: "留言（处理方可写内部备注） / Comment (those who work it may write internal notes)",
			Body:    servicedesk.NewComment{}, Response: servicedesk.Comment{}, Status: http.StatusCreated, handle: func(c *call) (any, error) {
				var in servicedesk.NewComment
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Services.Comment(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/service-requests/{id}/rating", Tag: "services",
			Summary: "评价已解决的请求（1–5 分）并关闭 / Rate resolved work 1–5, which closes it",
			Body:    servicedesk.Rating{}, Response: servicedesk.Ticket{}, handle: func(c *call) (any, error) {
				var in servicedesk.Rating
				if err := c.decode(&in); err != nil {
					return nil, err
				}
				return sv.Services.Rate(c.ctx, c.scope, c.id(), in)
			}},
		{Method: "POST", Pattern: "/api/v1/service-requests/{id}/attachments", Tag: "services",
			Summary: "上传附件（请求体为文件本身；PDF、PNG、JPEG、TXT、DOCX、XLSX，至多 5 MB） / Attach a file (the body is the file: PDF, PNG, JPEG, TXT, DOCX or XLSX, up to 5 MB)",
			Query:   []param{{"filename", "string", "文件名（含扩展名） / file name with its extension"}},
			Upload:  true, UploadKinds: []string{"application/octet-stream"}, Response: servicedesk.Attachment{}, Status: http.StatusCreated,
			handle: func(c *call) (any, error) {
				name := c.q.Str("filename")
				data, err := c.readUploadUpTo(servicedesk.MaxAttachment + 1)
				if err != nil {
					return nil, err
				}
				return sv.Services.Attach(c.ctx, c.scope, c.id(), name, data)
			}},
		{Method: "GET", Pattern: "/api/v1/service-attachments/{id}", Tag: "services", Summary: "下载附件 / Download an attachment",
			Download: "application/octet-stream", handle: func(c *call) (any, error) {
				a, data, err := sv.Services.AttachmentFile(c.ctx, c.scope, c.id())
				return file{name: a.Filename, data: data, kind: a.ContentType}, err
			}},
		{Method: "GET", Pattern: "/api/v1/service-reports", Tag: "services",
			Summary: "服务报表：按平台或园区的请求量、时限达标率、满意度与逐月趋势 / Service figures by platform or park: volume, SLA compliance, satisfaction and the monthly trend",
			Query: []param{{"kind", "string", "request（默认） | demand"}, {"by", "string", "platform（默认） | park | category（类别；诉求即主题） / category (a demand's theme)"},
				{"park_id", "string", "园区 / park"}, {"from", "string", "起始月份任一天，默认今年 1 月 / a day of the first month, January by default"},
				{"to", "string", "截止月份任一天，默认本月 / a day of the last month, this month by default"}},
			Response: servicedesk.Report{}, handle: func(c *call) (any, error) {
				q := servicedesk.NewReportQuery(c.q.Str("kind"), c.q.Str("by"), c.q.Str("park_id"), c.q.Date("from"), c.q.Date("to"), sv.Clock.Today())
				if err := c.q.Err(); err != nil {
					return nil, err
				}
				return sv.Services.Report(c.ctx, c.scope, q)
			}},
	}
}
