package soap

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"slices"

	gsoap "github.com/hooklift/gowsdl/soap"

	cs "github.com/guichet/guichet/soap/clientservice"
)

// generatedAnswers are the generated response types of the operations read
// fast, by operation.
var generatedAnswers = map[string]reflect.Type{}

func init() {
	for _, v := range []any{cs.GetClientResponse{}, cs.FindClientByEmailResponse{}, cs.GetClientByAncienCodeResponse{},
		cs.GetClientsResponse{}, cs.GetClientsByCodeClientTranscoResponse{}, cs.GetClientsByCodeSelectionResponse{},
		cs.GetClientsByOrigineResponse{}, cs.GetClientsByTypeResponse{}, cs.GetClientsModifiedBetweenResponse{},
		cs.GetClientsWithCriteriaResponse{}} {
		t := reflect.TypeOf(v)
		s, ok := shapeOf(t)
		if !ok {
			panic("no fast shape for " + t.Name())
		}
		generatedAnswers[s.local[:len(s.local)-len("Response")]] = t
	}
}

// FastOps lists the operations whose answers are read fast.
func FastOps() []string {
	ops := make([]string, 0, len(fastShapes))
	for op := range fastShapes {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	return ops
}

// FastDecode reads body as op's answer with the fast reader; ok is false when
// it declines.
func FastDecode(op string, body []byte) ([]*cs.WsClient, bool) {
	return decodeAnswer(body, fastShapes[op])
}

// GenericDecode reads body as gowsdl's client does (encoding/xml into the
// generated response type, then the fault check).
func GenericDecode(op string, body []byte) ([]*cs.WsClient, error) {
	t := generatedAnswers[op]
	resp := reflect.New(t)
	env := gsoap.SOAPEnvelopeResponse{Body: gsoap.SOAPBodyResponse{Content: resp.Interface(), Fault: &gsoap.SOAPFault{}}}
	if err := xml.NewDecoder(bytes.NewReader(body)).Decode(&env); err != nil {
		return nil, err
	}
	if err := env.Body.ErrorFromFault(); err != nil {
		return nil, err
	}
	f := resp.Elem().FieldByName("Client")
	if f.Kind() == reflect.Slice {
		return f.Interface().([]*cs.WsClient), nil
	}
	if f.IsNil() {
		return nil, nil
	}
	return []*cs.WsClient{f.Interface().(*cs.WsClient)}, nil
}

// RecordFieldCount is how many WsClient fields the fast reader fills.
func RecordFieldCount() int { return len(recordFields) }
