package main

import (
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// schema is the little the fixer needs to know about the WSDL.
type schema struct {
	namespace string
	elements  map[string]string          // global element name -> type local name
	required  map[string]map[string]bool // complexType -> child element -> required
	requests  []string                   // input wrapper element names, sorted
}

type wsdlDoc struct {
	TargetNamespace string `xml:"targetNamespace,attr"`
	Schemas         []struct {
		Elements []struct {
			Name string `xml:"name,attr"`
			Type string `xml:"type,attr"`
		} `xml:"element"`
		ComplexTypes []struct {
			Name     string     `xml:"name,attr"`
			Elements []xsdChild `xml:"sequence>element"`
		} `xml:"complexType"`
	} `xml:"types>schema"`
	Messages []struct {
		Name  string `xml:"name,attr"`
		Parts []struct {
			Element string `xml:"element,attr"`
		} `xml:"part"`
	} `xml:"message"`
	PortTypes []struct {
		Operations []struct {
			Input struct {
				Message string `xml:"message,attr"`
			} `xml:"input"`
		} `xml:"operation"`
	} `xml:"portType"`
}

type xsdChild struct {
	Name      string `xml:"name,attr"`
	MinOccurs string `xml:"minOccurs,attr"`
}

func parseSchema(b []byte) (*schema, error) {
	var d wsdlDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("parse wsdl: %w", err)
	}
	s := &schema{namespace: d.TargetNamespace, elements: map[string]string{}, required: map[string]map[string]bool{}}
	for _, sc := range d.Schemas {
		for _, e := range sc.Elements {
			s.elements[e.Name] = local(e.Type)
		}
		for _, ct := range sc.ComplexTypes {
			req := map[string]bool{}
			for _, c := range ct.Elements {
				req[c.Name] = c.MinOccurs == "" || c.MinOccurs != "0"
			}
			s.required[ct.Name] = req
		}
	}
	msgElem := map[string]string{}
	for _, m := range d.Messages {
		if len(m.Parts) == 1 {
			msgElem[m.Name] = local(m.Parts[0].Element)
		}
	}
	seen := map[string]bool{}
	for _, pt := range d.PortTypes {
		for _, op := range pt.Operations {
			el, ok := msgElem[local(op.Input.Message)]
			if !ok {
				return nil, fmt.Errorf("input message %q has no single element part", op.Input.Message)
			}
			if !seen[el] {
				seen[el] = true
				s.requests = append(s.requests, el)
			}
		}
	}
	sort.Strings(s.requests)
	if s.namespace == "" || len(s.requests) == 0 {
		return nil, fmt.Errorf("wsdl has no target namespace or no operation")
	}
	return s, nil
}

func local(qname string) string {
	if i := strings.LastIndexByte(qname, ':'); i >= 0 {
		return qname[i+1:]
	}
	return qname
}

// goName mirrors gowsdl's makePublic+normalize for the names this WSDL uses.
func goName(xsd string) string {
	var b strings.Builder
	for i, r := range xsd {
		switch {
		case r == '.':
			b.WriteRune('_')
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			if i == 0 {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
