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
    fetcher: GraphiQL.createFetcher({ url: endpoint }),
    defaultQuery: data.defaultQuery,
    isHeadersEditorEnabled: true,
    // Headers often carry an API key: never write them to localStorage.
    shouldPersistHeaders: false,
    storage: storage,
  };
  if (data.defaultHeaders) props.defaultHeaders = data.defaultHeaders;
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
})();
