package soap

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	cs "github.com/guichet/guichet/soap/clientservice"
)

// The envelope gowsdl writes (gsoap.SOAPEnvelope with its header), in
// parts: what sendEncoded sends is byte for byte what the generated client
// would (the request goldens hold both paths to it).
const (
	envelopeOpen = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>`
	bodyOpen     = `</soap:Header><soap:Body>`
	envelopeEnd  = `</soap:Body></soap:Envelope>`
)

// cachedHeader is the last security header encoded with a constant
// password (the SHA-1 and text modes): every call of a client sends the
// same one.
type cachedHeader struct {
	token usernameToken
	bytes []byte
}

// encodedHeader is h as XML; a digest header (nonce, time) is encoded
// each time, the others once per credentials.
func (c *Client) encodedHeader(h *security) []byte {
	if h.Token.Nonce != nil || h.Token.Created != "" {
		b, _ := xml.Marshal(h)
		return b
	}
	if last := c.lastHeader.Load(); last != nil && last.token == h.Token {
		return last.bytes
	}
	b, _ := xml.Marshal(h)
	c.lastHeader.Store(&cachedHeader{token: h.Token, bytes: b})
	return b
}

// getClientAround is what the generated marshaller writes around a
// getClient's code (ok false if the code does not appear exactly once).
var getClientAround = func() (a struct {
	before, after string
	ok            bool
}) {
	const probe = 987654321
	b, err := xml.Marshal(&cs.GetClient{CodeClient: probe})
	digits := strconv.Itoa(probe)
	if err != nil || strings.Count(string(b), digits) != 1 {
		return a
	}
	a.before, a.after, a.ok = strings.Cut(string(b), digits)
	return a
}()

// sendEncoded posts the envelope of request with header hdr through the
// exchange, as gowsdl's client would (same headers, then Do's own).
func (x *exchange) sendEncoded(ctx context.Context, url string, hdr []byte, request any) error {
	var body []byte
	if g, ok := request.(*cs.GetClient); ok && getClientAround.ok {
		// The hottest call: its body is the generated marshaller's own
		// bytes around the code, cut once.
		body = append(strconv.AppendInt([]byte(getClientAround.before), int64(g.CodeClient), 10), getClientAround.after...)
	} else {
		var err error
		if body, err = xml.Marshal(request); err != nil {
			return err
		}
	}
	buf := bytes.NewBuffer(make([]byte, 0, len(envelopeOpen)+len(hdr)+len(bodyOpen)+len(body)+len(envelopeEnd)))
	buf.WriteString(envelopeOpen)
	buf.Write(hdr)
	buf.WriteString(bodyOpen)
	buf.Write(body)
	buf.WriteString(envelopeEnd)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, buf)
	if err != nil {
		return err
	}
	req.Header["Soapaction"] = soapAction
	_, err = x.Do(req)
	return err
}
