"""Drives the AboWeb sandbox with zeep (Debian's python3-zeep).

zeep loads the WSDL from ?wsdl and calls the soap:address it finds there;
its UsernameToken sends the fuller form (Type="...#PasswordText") with the
password already hashed as AboWeb wants: base64(SHA-1(password)).
Usage: /usr/bin/python3 client.py <endpoint> <username> <password> <email>
Prints one JSON object with what it observed; the Go test asserts on it.
"""
import base64
import hashlib
import json
import sys

import zeep
from zeep.exceptions import Fault
from zeep.wsse.username import UsernameToken


def client(endpoint, user, password):
    hashed = base64.b64encode(hashlib.sha1(password.encode()).digest()).decode()
    transport = zeep.Transport(timeout=10, operation_timeout=10)
    return zeep.Client(endpoint + "?wsdl", wsse=UsernameToken(user, hashed), transport=transport)


def main():
    endpoint, user, password, email = sys.argv[1:5]
    out = {}
    try:
        c = client(endpoint, user, password)
        s = c.service
        code = s.createOrUpdateClientEx(client={
            "civilite": "M", "nom": "Interop", "prenom": "Zeep", "email": email,
            "adresse2": "2 rue du Test", "cp": "69003", "ville": "Lyon", "codeIsoPays": "FR", "typeClient": 0,
        })
        out["created"] = code
        got = s.getClient(codeClient=code)
        out["got"] = {"nom": got.nom, "prenom": got.prenom, "email": got.email, "typeClient": got.typeClient}
        out["found"] = s.findClientByEmail(email=email).codeClient
        pages, codes = [], set()
        offset = 0
        while True:
            page = s.getClients(offset=offset) or []
            pages.append(len(page))
            codes.update(cl.codeClient for cl in page)
            if len(page) < 50:
                break
            offset += 50
        out["pages"] = pages
        out["distinct"] = len(codes)
        out["nb"] = s.getNbClients()
        try:
            s.getClient(codeClient=1)
            out["unknown_fault"] = "none"
        except Fault as e:
            out["unknown_fault"] = e.code
            out["unknown_message"] = e.message
        try:
            client(endpoint, user, password + "x").service.getNbClients()
            out["auth_fault"] = "none"
        except Fault as e:
            out["auth_fault"] = e.code
    except Exception as e:  # reported to the Go test, which fails with it
        out["error"] = "%s: %s" % (type(e).__name__, e)
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
