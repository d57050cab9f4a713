package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/httpin"
	"github.com/parkos/parkos/internal/servicedesk"
)

// fieldSpec describes one form input. Name is the JSON path of the value in the object the
// form edits ("facilities.biosafety_level"), so a form posts exactly what the API accepts and
// gets back exactly the API's field errors.
type fieldSpec struct {
	Name     string
	Label    msgKey
	Kind     string // text | textarea | number | date | select | multiselect | checkbox | password | hidden
	Required bool
	Wide     bool
	Help     msgKey
	HelpArgs []any // filled into Help's message
	Options  []option
}

type option struct {
	Value, Label string
	Selected     bool
}

// field is a fieldSpec ready to render: translated, filled and possibly with an error.
type field struct {
	ID, Name, Label, Kind, Value, Help, Error string
	Options                                   []option
	Checked, Required, Wide                   bool
}

type crumb struct{ Text, Href string }

type formView struct {
	Action, CancelURL string
	Fields            []field
	Invalid           bool     // the last submission was refused
	Errors            []string // problems that belong to no single field
	Crumbs            []crumb
}

type formPage struct{ Form formView }

// values is what a form holds: field name → submitted strings.
type values map[string][]string

// flatten turns an object into form values through its JSON form, so the form shows what the
// API would return.
func flatten(obj any) values {
	b, _ := json.Marshal(obj)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	_ = dec.Decode(&m)
	out := values{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, sub := range x {
				walk(prefix+k+".", sub)
			}
		case []any:
			key := strings.TrimSuffix(prefix, ".")
			for _, item := range x {
				if s, ok := item.(string); ok {
					out[key] = append(out[key], s)
				}
			}
		case bool:
			if x {
				out[strings.TrimSuffix(prefix, ".")] = []string{"true"}
			}
		case nil:
		default:
			out[strings.TrimSuffix(prefix, ".")] = []string{strings.Trim(jsonText(x), `"`)}
		}
	}
	walk("", m)
	return out
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// fields renders specs with the given values and translated labels.
func (rq *request) fields(specs []fieldSpec, vals values) []field {
	out := make([]field, len(specs))
	for i, sp := range specs {
		f := field{ID: strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(sp.Name), Name: sp.Name,
			Label: rq.t(string(sp.Label)), Kind: sp.Kind, Required: sp.Required, Wide: sp.Wide || sp.Kind == "textarea"}
		if sp.Help != "" {
			f.Help = rq.t(string(sp.Help), sp.HelpArgs...)
		}
		vs := vals[sp.Name]
		if len(vs) > 0 {
			f.Value = vs[0]
		}
		f.Checked = f.Value == "true"
		if sp.Kind == "list" {
			f.Value = strings.Join(vs, ", ")
		}
		if sp.Kind == "password" {
			f.Value = ""
		}
		for _, o := range sp.Options {
			o.Selected = contains(vs, o.Value) || (len(vs) == 0 && o.Value == "" && sp.Kind == "select")
			f.Options = append(f.Options, o)
		}
		out[i] = f
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

var (
	plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	listSplit   = regexp.MustCompile(`[,，、;；\n]`)
)

// toJSON builds the JSON object a form stands for. Numbers that do not parse are sent as text
// so that the decoder names the field in its error rather than the form silently dropping it.
func toJSON(specs []fieldSpec, vals values) []byte {
	obj := map[string]any{}
	for _, sp := range specs {
		vs := vals[sp.Name]
		first := ""
		if len(vs) > 0 {
			first = strings.TrimSpace(vs[0])
		}
		var v any
		switch sp.Kind {
		case "checkbox":
			v = first == "true"
		case "list":
			list := []string{}
			for _, s := range listSplit.Split(first, -1) {
				if s = strings.TrimSpace(s); s != "" {
					list = append(list, s)
				}
			}
			v = list
		case "multiselect":
			list := []string{}
			for _, s := range vs {
				if s != "" {
					list = append(list, s)
				}
			}
			v = list
		case "number":
			clean := strings.NewReplacer(",", "", "，", "", " ", "").Replace(first)
			switch {
			case clean == "":
				v = json.Number("0")
			case plainNumber.MatchString(clean):
				v = json.Number(clean)
			default:
				v = first
			}
		case "date":
			if first != "" {
				v = first
			}
		case "datetime":
			// A browser's local date and time, read in Asia/Shanghai; anything else is sent as
			// written, for the decoder to name.
			v = first
			if t, err := time.ParseInLocation("2006-01-02T15:04", first, civil.Shanghai); err == nil {
				v = t.Format(time.RFC3339)
			} else if first == "" {
				v = nil
			}
		case "textarea", "password":
			if len(vs) > 0 {
				v = vs[0]
			} else {
				v = ""
			}
		default:
			v = first
		}
		setPath(obj, strings.Split(sp.Name, "."), v)
	}
	b, _ := json.Marshal(obj)
	return b
}

func setPath(m map[string]any, path []string, v any) {
	for _, p := range path[:len(path)-1] {
		sub, ok := m[p].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[p] = sub
		}
		m = sub
	}
	m[path[len(path)-1]] = v
}

// formValues reads a posted form, bounded like every other body. Refused text comes back as
// an Invalid error with the values read, for the form to show again with its errors.
func (rq *request) formValues() (values, error) {
	rq.r.Body = http.MaxBytesReader(rq.w, rq.r.Body, httpin.MaxBody)
	if err := rq.r.ParseForm(); err != nil {
		return nil, apperr.Wrap(apperr.TooLarge, err, "表单内容过大或无法读取", "the form is too large or unreadable")
	}
	// Storable text, bounded by the longest any field takes; each field's own bound is the
	// domain's (and its input type's maxlen tag).
	var f apperr.Fields
	for k, vs := range rq.r.PostForm {
		for _, v := range vs {
			check.StringUpTo(&f, k, v, check.LongTextLen)
		}
	}
	return values(rq.r.PostForm), f.Err()
}

// applyErrors puts each field error next to its input, in the user's language; errors that
// belong to no input are returned for the top of the form.
func (rq *request) applyErrors(fields []field, err error) []string {
	e, ok := apperr.As(err)
	if !ok {
		return nil
	}
	msg := rq.pick
	rest := []string{}
	for _, fe := range e.Fields {
		placed := false
		for i := range fields {
			if fields[i].Name == fe.Field || strings.HasPrefix(fe.Field, fields[i].Name+"[") {
				fields[i].Error = msg(fe.MessageZh, fe.MessageEn)
				placed = true
				break
			}
		}
		if !placed {
			rest = append(rest, fe.Field+": "+msg(fe.MessageZh, fe.MessageEn))
		}
	}
	if len(e.Fields) == 0 {
		rest = append(rest, msg(e.MessageZh, e.MessageEn))
	}
	return rest
}

// formError reports whether err is the user's to fix (shown on the form) rather than a fault.
func formError(err error) bool {
	switch apperr.CodeOf(err) {
	case apperr.Invalid, apperr.Conflict, apperr.BadRequest:
		return true
	}
	return false
}

// withQuery adds key=value to a path.
func withQuery(path string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// outcome ends a form posted on a record's page: a refusal the user can mend (a field, a
// conflict, a file too large) is shown on the page with its reason, any other error is the
// page's, and a success goes to next.
func (rq *request) outcome(err error, show func(error) error, next string) error {
	if formError(err) || apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.TooLarge) {
		return show(err)
	}
	if err != nil {
		return err
	}
	return rq.redirect(next)
}

// uploadedFile reads the file of a multipart form's "file" field, within the attachment limit.
func (rq *request) uploadedFile() (string, []byte, error) {
	rq.r.Body = http.MaxBytesReader(rq.w, rq.r.Body, servicedesk.MaxAttachment+1<<20)
	err := rq.r.ParseMultipartForm(1 << 20)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return "", nil, apperr.New(apperr.TooLarge, fmt.Sprintf("附件超过 %d MB 上限", servicedesk.MaxAttachment>>20),
			fmt.Sprintf("the attachment is larger than the %d MB limit", servicedesk.MaxAttachment>>20))
	}
	if err != nil {
		return "", nil, apperr.Wrap(apperr.BadRequest, err, "无法读取上传的文件", "the upload could not be read")
	}
	f, hdr, err := rq.r.FormFile("file")
	if err != nil {
		return "", nil, apperr.FieldProblem("file", "required", "请选择文件", "choose a file")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, servicedesk.MaxAttachment+1))
	return hdr.Filename, data, err
}
