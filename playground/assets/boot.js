// Starts GraphiQL on the endpoint named by the page. Kept out of the HTML so
// the page runs under a Content-Security-Policy without inline scripts.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var data = root.dataset;
  var endpoint = new URL(data.endpoint || '/graphql', window.location.href).toString();
  // Keep this API's editor state apart from other GraphiQL pages on the host.
  var prefix = 'guichet:';
  var own = function () {
    return Object.keys(window.localStorage).filter(function (k) { return k.indexOf(prefix) === 0; });
  };
  var storage = {
    getItem: function (k) { return window.localStorage.getItem(prefix + k); },
    setItem: function (k, v) { window.localStorage.setItem(prefix + k, v); },
    removeItem: function (k) { window.localStorage.removeItem(prefix + k); },
    clear: function () { own().forEach(function (k) { window.localStorage.removeItem(k); }); },
    get length() { return own().length; },
  };
  var props = {
    fetcher: liveFetcher(endpoint, GraphiQL.createFetcher({ url: endpoint })),
    defaultQuery: data.defaultQuery,
    isHeadersEditorEnabled: true,
    // Headers often carry an API key: never write them to localStorage.
    shouldPersistHeaders: false,
    storage: storage,
  };
  if (data.defaultHeaders) props.defaultHeaders = data.defaultHeaders;

  // Subscriptions run over GraphQL over SSE (a POST answered with
  // text/event-stream), which needs no client library; GraphiQL shows each
  // event of the returned async iterator as it comes. Everything else goes
  // through GraphiQL's own fetcher.
  function liveFetcher(url, plain) {
    return function (params, opts) {
      if (!isSubscription(params)) return plain(params, opts);
      var ctrl = new AbortController();
      var headers = Object.assign({}, (opts && opts.headers) || {},
        { 'Content-Type': 'application/json', Accept: 'text/event-stream' });
      var it = (async function* () {
        var res = await fetch(url, { method: 'POST', headers: headers, body: JSON.stringify(params), signal: ctrl.signal });
        if ((res.headers.get('Content-Type') || '').indexOf('text/event-stream') !== 0) {
          yield await res.json();
          return;
        }
        var reader = res.body.getReader();
        var dec = new TextDecoder();
        var buf = '';
        for (;;) {
          var r = await reader.read();
          if (r.done) return;
          buf += dec.decode(r.value, { stream: true });
          for (var i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            var ev = '', lines = [];
            buf.slice(0, i).split('\n').forEach(function (l) {
              if (l.indexOf('event:') === 0) ev = l.slice(6).trim();
              else if (l.indexOf('data:') === 0) lines.push(l.slice(5).replace(/^ /, ''));
            });
            buf = buf.slice(i + 2);
            if (ev === 'complete') return;
            if (lines.length) yield JSON.parse(lines.join('\n'));
          }
        }
      })();
      var stop = it.return.bind(it);
      it.return = function (v) { ctrl.abort(); return stop(v); };
      return it;
    };
  }

  // isSubscription finds the operation to run: the named one, else the
  // first of the document (comments and strings removed).
  function isSubscription(params) {
    var doc = (params.query || '').replace(/"""[\s\S]*?"""|"(?:\\.|[^"\\])*"|#[^\n]*/g, ' ');
    var re = /(^|[{}\s])(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/g;
    for (var m = re.exec(doc); m; m = re.exec(doc)) {
      if (!params.operationName || m[3] === params.operationName) return m[2] === 'subscription';
    }
    return false;
  }
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
})();
