<?php
// Drives the AboWeb sandbox with PHP's SoapClient, the stack of the vendor's
// own samples, exactly as they do: WSDL loaded from ?wsdl, and the wsse
// header passed as raw XML in a SoapHeader with password base64(sha1(raw)).
// Usage: php client.php <endpoint> <username> <password> <email>
// Prints one JSON object with what it observed; the Go test asserts on it.
[$_, $endpoint, $user, $pass, $email] = $argv;

function security_header(string $user, string $pass): SoapHeader {
    $xml = '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
        . '<wsse:UsernameToken><wsse:Username>' . htmlspecialchars($user) . '</wsse:Username>'
        . '<wsse:Password>' . base64_encode(sha1($pass, true)) . '</wsse:Password>'
        . '</wsse:UsernameToken></wsse:Security>';
    return new SoapHeader('http://www.gesmag.com/', 'Security', new SoapVar($xml, XSD_ANYXML));
}

function client(string $endpoint, string $user, string $pass): SoapClient {
    $c = new SoapClient($endpoint . '?wsdl', [
        'cache_wsdl' => WSDL_CACHE_NONE,
        'exceptions' => true,
        'trace' => true,
        'features' => SOAP_SINGLE_ELEMENT_ARRAYS,
        'connection_timeout' => 10,
    ]);
    $c->__setSoapHeaders([security_header($user, $pass)]);
    return $c;
}

$out = [];
try {
    $c = client($endpoint, $user, $pass);
    $r = $c->createOrUpdateClientEx(['client' => [
        'civilite' => 'MME', 'nom' => 'Interop', 'prenom' => 'Php', 'email' => $email,
        'adresse2' => '1 rue du Test', 'cp' => '69001', 'ville' => 'Lyon', 'codeIsoPays' => 'FR', 'typeClient' => 0,
    ]]);
    $code = $r->codeClient;
    $out['created'] = $code;
    $out['create_request'] = $c->__getLastRequest();

    $g = $c->getClient(['codeClient' => $code]);
    $out['got'] = ['nom' => $g->client->nom, 'prenom' => $g->client->prenom, 'email' => $g->client->email, 'typeClient' => $g->client->typeClient];

    $f = $c->findClientByEmail(['email' => $email]);
    $out['found'] = $f->client->codeClient;

    $pages = [];
    $codes = [];
    for ($offset = 0; ; $offset += 50) {
        $p = $c->getClients(['offset' => $offset]);
        $list = isset($p->client) ? $p->client : [];
        $pages[] = count($list);
        foreach ($list as $cl) { $codes[] = $cl->codeClient; }
        if (count($list) < 50) break;
    }
    $out['pages'] = $pages;
    $out['distinct'] = count(array_unique($codes));
    $out['nb'] = $c->getNbClients([])->result;

    try {
        $c->getClient(['codeClient' => 1]);
        $out['unknown_fault'] = 'none';
    } catch (SoapFault $e) {
        $out['unknown_fault'] = $e->faultcode;
        $out['unknown_message'] = $e->faultstring;
    }
    try {
        client($endpoint, $user, $pass . 'x')->getNbClients([]);
        $out['auth_fault'] = 'none';
    } catch (SoapFault $e) {
        $out['auth_fault'] = $e->faultcode;
    }
} catch (Throwable $e) {
    $out['error'] = get_class($e) . ': ' . $e->getMessage();
}
echo json_encode($out), "\n";
