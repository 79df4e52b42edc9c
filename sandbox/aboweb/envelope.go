package aboweb

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Namespaces the endpoint knows. The server is namespace-aware: prefixes are
// whatever the caller declares (soapenv, SOAP-ENV, soap, S, none…).
const (
	nsSOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
	nsSOAP12 = "http://www.w3.org/2003/05/soap-envelope"
	nsGesmag = "http://www.gesmag.com/"
	nsWSSE   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	nsWSU    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	nsXSI    = "http://www.w3.org/2001/XMLSchema-instance"
)

// node is a namespace-resolved element. Only what a SOAP endpoint needs:
// names, attributes, child elements and character data.
type node struct {
	Space, Local string
	Attrs        []xml.Attr // resolved names; xmlns declarations removed
	Children     []*node
	Text         string // concatenated character data directly inside
}

// child returns the first child element with that namespace and local name.
func (n *node) child(space, local string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Space == space && c.Local == local {
			return c
		}
	}
	return nil
}

// firstElement returns the first child element whatever its name.
func (n *node) firstElement() *node {
	if n == nil || len(n.Children) == 0 {
		return nil
	}
	return n.Children[0]
}

func (n *node) attr(space, local string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// nil reports xsi:nil="true", which JAXB reads as null (same as absent).
func (n *node) isNil() bool {
	v, ok := n.attr(nsXSI, "nil")
	v = strings.TrimSpace(v)
	return ok && (v == "true" || v == "1")
}

// errMalformed is a request a SOAP stack cannot even read; the JAX-WS runtime
// answers it with an S:Client fault, before any AboWeb code runs.
var errMalformed = errors.New("malformed XML")

// parseXML reads one document into a tree, resolving prefixes itself so that
// an undeclared prefix is an error (encoding/xml would silently keep the
// prefix as the namespace) and DTDs are refused as SOAP forbids them.
func parseXML(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charsetReader
	type frame struct {
		n     *node
		name  xml.Name // raw, to check the end tag
		scope map[string]string
	}
	var stack []frame
	var root *node
	lookup := func(prefix string) (string, bool) {
		for i := len(stack) - 1; i >= 0; i-- {
			if u, ok := stack[i].scope[prefix]; ok {
				return u, true
			}
		}
		switch prefix {
		case "":
			return "", true
		case "xml":
			return "http://www.w3.org/XML/1998/namespace", true
		}
		return "", false
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, fmt.Errorf("%w: more than one root element", errMalformed)
			}
			f := frame{n: &node{}, name: t.Name, scope: map[string]string{}}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					f.scope[""] = a.Value
				case a.Name.Space == "xmlns":
					if a.Value == "" {
						return nil, fmt.Errorf("%w: empty namespace for prefix %q", errMalformed, a.Name.Local)
					}
					f.scope[a.Name.Local] = a.Value
				}
			}
			stack = append(stack, f)
			space, ok := lookup(t.Name.Space)
			if !ok {
				return nil, fmt.Errorf("%w: undeclared prefix %q", errMalformed, t.Name.Space)
			}
			f.n.Space, f.n.Local = space, t.Name.Local
			for _, a := range t.Attr {
				if (a.Name.Space == "" && a.Name.Local == "xmlns") || a.Name.Space == "xmlns" {
					continue
				}
				as := ""
				if a.Name.Space != "" { // unprefixed attributes have no namespace
					if as, ok = lookup(a.Name.Space); !ok {
						return nil, fmt.Errorf("%w: undeclared prefix %q", errMalformed, a.Name.Space)
					}
				}
				f.n.Attrs = append(f.n.Attrs, xml.Attr{Name: xml.Name{Space: as, Local: a.Name.Local}, Value: a.Value})
			}
			if len(stack) == 1 {
				root = f.n
			} else {
				p := stack[len(stack)-2].n
				p.Children = append(p.Children, f.n)
			}
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1].name != t.Name {
				return nil, fmt.Errorf("%w: unexpected end tag %s", errMalformed, t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].n.Text += string(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("%w: text outside the root element", errMalformed)
			}
		case xml.Directive:
			return nil, fmt.Errorf("%w: DTD not allowed", errMalformed)
		}
	}
	if root == nil || len(stack) != 0 {
		return nil, fmt.Errorf("%w: incomplete document", errMalformed)
	}
	return root, nil
}

// envelope is a parsed SOAP 1.1 request.
type envelope struct {
	Header *node // may be nil
	Op     *node // the Body's first element: the operation wrapper
}

// errVersion is a SOAP 1.2 (or unknown) envelope sent to this SOAP 1.1 port.
var errVersion = errors.New("version mismatch")

func parseEnvelope(data []byte) (*envelope, error) {
	root, err := parseXML(data)
	if err != nil {
		return nil, err
	}
	if root.Local != "Envelope" || root.Space != nsSOAP11 {
		return nil, errVersion
	}
	env := &envelope{Header: root.child(nsSOAP11, "Header")}
	body := root.child(nsSOAP11, "Body")
	if body == nil {
		return nil, fmt.Errorf("%w: no SOAP Body", errMalformed)
	}
	env.Op = body.firstElement()
	if env.Op == nil {
		return nil, fmt.Errorf("%w: empty SOAP Body", errMalformed)
	}
	return env, nil
}

// params are the operation's bound parameters: like JAXB under
// elementFormDefault="unqualified", only children WITHOUT a namespace bind;
// qualified ones are unknown elements, silently ignored.
type params struct{ n *node }

// get returns an unqualified child's text; ok is false when the child is
// absent or xsi:nil (both null for JAXB).
func (p params) get(name string) (string, bool) {
	c := p.elem(name)
	if c == nil || c.isNil() {
		return "", false
	}
	return c.Text, true
}

func (p params) elem(name string) *node {
	if p.n == nil {
		return nil
	}
	return p.n.child("", name)
}

// charsetReader accepts Latin-1 requests besides UTF-8, as a Java stack
// does (PHP SoapClient sends ISO-8859-1 when configured so).
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		out := make([]rune, len(b))
		for i, c := range b {
			out[i] = rune(c)
		}
		return strings.NewReader(string(out)), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}
