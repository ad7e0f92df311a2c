// A real OpenID provider for the tests: node's oidc-provider (OpenID certified), configured by
// one JSON argument: {port, client: {client_id, client_secret, redirect_uris,
// post_logout_redirect_uris, backchannel_logout_uri}, accounts: {login: {password, amr, claims}}}.
// Its sign-in page is a plain form (login, password); the accounts' "amr" says how they proved
// who they are. Consent is granted to the one client (a first-party application).
import http from "node:http";
import Provider from "oidc-provider";

const config = JSON.parse(process.argv[2]);
const issuer = `http://127.0.0.1:${config.port}`;
const accounts = config.accounts;

const provider = new Provider(issuer, {
  clients: [{
    ...config.client,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    backchannel_logout_session_required: false,
  }],
  // The ID token says how the user proved who they are (amr), as Keycloak does with its ACR mapping.
  claims: { openid: ["sub", "amr"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  scopes: ["openid", "email", "profile", "groups"],
  conformIdTokenClaims: false, // the ID token itself carries the claims the app needs
  features: {
    devInteractions: { enabled: false },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // Plain pages without the default's web fonts (the tests' browser reaches no outside server).
      logoutSource: async (ctx, form) => {
        ctx.body = `<!doctype html><html lang="de"><head><title>Abmelden</title></head><body>
          <h1>Beim Landes-Login abmelden?</h1>${form}
          <button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, abmelden</button></body></html>`;
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = '<!doctype html><html lang="de"><head><title>Abgemeldet</title></head><body><p>Abgemeldet.</p></body></html>';
      },
    },
  },
  pkce: { required: () => true },
  // The back-channel logout goes to the tests' receiver on this machine: let it reach loopback,
  // which the provider's guard against server-side request forgery refuses otherwise.
  fetch: (url, options) => {
    delete options.dispatcher;
    return fetch(url, options);
  },
  cookies: { keys: ["protokoll-test-provider"] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, sub) => (accounts[sub] ? {
    accountId: sub,
    claims: async () => ({ sub, ...accounts[sub].claims }),
  } : undefined),
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile groups");
    await grant.save();
    return grant;
  },
});
provider.on("backchannel.error", (ctx, error) => console.error("backchannel logout failed:", error.message));

function page(res, body, status = 200) {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="de"><head><title>Landes-Login</title></head><body>${body}</body></html>`);
}

async function form(req) {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

const callback = provider.callback();
http.createServer(async (req, res) => {
  if (req.url === "/favicon.ico") {
    res.writeHead(204);
    return res.end();
  }
  const match = req.url.match(/^\/interaction\/([^/?]+)/);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "GET") {
      return page(res, `<h1>Landes-Login</h1><form method="post" action="/interaction/${details.uid}">
        <label>Kennung <input name="login" autocomplete="username"></label>
        <label>Passwort <input name="password" type="password"></label>
        <button type="submit">Anmelden</button></form>`);
    }
    const fields = await form(req);
    const account = accounts[fields.get("login")];
    if (!account || account.password !== fields.get("password")) {
      return page(res, "<p>Kennung oder Passwort falsch.</p>", 401);
    }
    return provider.interactionFinished(req, res, {
      login: { accountId: fields.get("login"), amr: account.amr || ["pwd"] },
    }, { mergeWithLastSubmission: false });
  } catch (error) {
    return page(res, `<p>${error.message}</p>`, 400);
  }
}).listen(config.port, "127.0.0.1", () => console.log(`listening ${issuer}`));
