package servicedesk

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/check"
	"github.com/parkos/parkos/internal/identity"
)

// attachmentKinds are the file names a ticket takes, each with the content its bytes must
// show: a picture of the fault, a document, a spreadsheet.
var attachmentKinds = map[string]string{
	".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".txt": "text/plain; charset=utf-8", ".docx": "application/zip", ".xlsx": "application/zip",
}

// Attach adds a file to a ticket (its submitter or handler): at most MaxAttachment bytes, a
// picture, PDF, text or Office document whose content matches its name.
func (s *Service) Attach(ctx context.Context, sc identity.Scope, id, filename string, data []byte) (Attachment, error) {
	t, err := s.st.GetTicket(ctx, sc, id)
	if err != nil {
		return Attachment{}, err
	}
	if !s.isHandler(sc, t) && !isSubmitter(sc, t) {
		return Attachment{}, apperr.ErrForbidden()
	}
	if n, err := s.st.AttachmentCount(ctx, id); err != nil {
		return Attachment{}, err
	} else if n >= maxAttachments {
		return Attachment{}, apperr.FieldProblem("file", "too_many", fmt.Sprintf("每个请求至多 %d 个附件", maxAttachments), fmt.Sprintf("a request takes at most %d attachments", maxAttachments))
	}
	filename, contentType, err := CheckFile(filename, data)
	if err != nil {
		return Attachment{}, err
	}
	a := Attachment{ID: s.st.NewID(), Filename: filename, ContentType: contentType, Size: len(data), UploadedBy: sc.Username, CreatedAt: s.clock.Now()}
	return a, s.st.InTx(ctx, func(ctx context.Context) error {
		if err := s.st.InsertAttachment(ctx, id, a, data); err != nil {
			return err
		}
		return s.st.Record(ctx, sc, "attach", "service_request", id, nil, Note{TicketID: id, ParkID: t.ParkID, EnterpriseID: t.EnterpriseID, Attachment: &a})
	})
}

// CheckFile checks an uploaded file: a name, at most MaxAttachment bytes, a picture, PDF, text
// or Office document whose content matches its name. It answers the name to keep (without any
// directory) and the content type to serve it as.
func CheckFile(filename string, data []byte) (string, string, error) {
	var f apperr.Fields
	if strings.TrimSpace(filename) != "" {
		filename = filepath.Base(strings.ReplaceAll(filename, "\\", "/"))
	}
	check.Field(&f, "filename", filename, true, 200)
	if err := f.Err(); err != nil {
		return "", "", err
	}
	if len(data) == 0 {
		return "", "", apperr.FieldProblem("file", "empty", "文件为空", "the file is empty")
	}
	if len(data) > MaxAttachment {
		return "", "", apperr.New(apperr.TooLarge, fmt.Sprintf("附件超过 %d MB 上限", MaxAttachment>>20),
			fmt.Sprintf("the attachment is larger than the %d MB limit", MaxAttachment>>20)).WithField("file", "too_large")
	}
	ext := strings.ToLower(filepath.Ext(filename))
	want, ok := attachmentKinds[ext]
	if !ok {
		return "", "", apperr.FieldProblem("file", "refused_type", "只接受 PDF、PNG、JPEG、TXT、DOCX、XLSX 文件", "only PDF, PNG, JPEG, TXT, DOCX and XLSX files are accepted")
	}
	if http.DetectContentType(data) != want || want == "application/zip" && !isOfficeDocument(data) {
		return "", "", apperr.FieldProblem("file", "content_mismatch", "文件内容与扩展名不符", "the file's content does not match its name")
	}
	if want == "application/zip" {
		want = map[string]string{".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[ext]
	}
	return filename, want, nil
}

// maxAttachments bounds the files of one ticket.
const maxAttachments = 20

// isOfficeDocument: a ZIP holding the content-types part every Office Open XML file has.
func isOfficeDocument(data []byte) bool {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	return slices.ContainsFunc(z.File, func(f *zip.File) bool { return f.Name == "[Content_Types].xml" })
}

// AttachmentFile is an attachment's bytes, for whoever may read its ticket.
func (s *Service) AttachmentFile(ctx context.Context, sc identity.Scope, id string) (Attachment, []byte, error) {
	a, _, data, err := s.st.AttachmentData(ctx, sc, id)
	return a, data, err
}

// AttachmentTypes lists the accepted file names, for forms.
func AttachmentTypes() []string {
	out := make([]string, 0, len(attachmentKinds))
	for ext := range attachmentKinds {
		out = append(out, ext)
	}
	slices.Sort(out)
	return out
}
