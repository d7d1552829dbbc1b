/**
 * What to do about an Entra sign-in error, by AADSTS code (docs/partner-center-api.md §3.5). The service's own
 * description is kept in the message; these hints add the fix.
 */

export interface SignInContext {
  tenantId: string
  clientId: string
  credentialKind: 'secret' | 'certificate' | 'oidc'
  /** OIDC: the subject of the GitHub token that was presented. */
  oidcSubject?: string
  oidcIssuer?: string
  oidcAudience?: string
}

export function entraHint(code: number | undefined, ctx: SignInContext): string | undefined {
  switch (code) {
    case 7000215:
      return "The client secret is wrong. Put the secret's Value (shown once, when it is created) in `client-secret`, not its Secret ID; create a new secret under App registrations → Certificates & secrets if the value is lost."
    case 7000222:
      return 'The client secret has expired. Create a new one under App registrations → Certificates & secrets and update the repository secret.'
    case 700016:
      return `No application with client ID ${ctx.clientId} exists in tenant ${ctx.tenantId}. Check \`client-id\` (the Application (client) ID) and \`tenant-id\`: the app must be registered in the tenant linked to your Partner Center account.`
    case 90002:
      return `Tenant '${ctx.tenantId}' was not found. Check \`tenant-id\`: use the Directory (tenant) ID GUID of the tenant linked to Partner Center.`
    case 7000112:
      return 'The application is disabled in this tenant. An administrator must enable its service principal (Enterprise applications → Properties → Enabled for users to sign in).'
    case 500011:
      return 'The Partner Center (or Microsoft Graph) service principal is missing from this tenant. The tenant must be linked to a Partner Center account; an administrator may have to consent to the application.'
    case 7000218:
      return 'No credential was sent. Give `client-secret`, `client-certificate`, or allow OIDC with `permissions: id-token: write`.'
    case 70011:
      return 'The requested scope is not valid for this application.'
    case 700027:
      return 'The certificate assertion was refused: upload the certificate (its public part) to the app registration under Certificates & secrets, and check that it has not expired.'
    case 700024:
      return 'The client assertion is outside its valid time range. Check the runner clock; a GitHub OIDC token lives about 5 minutes.'
    case 70021:
    case 700211:
    case 700212:
    case 700213:
      return federationHint(ctx)
    case 700229:
      return 'The token presented is not accepted for federation. Use the GitHub OIDC token (`audience` api://AzureADTokenExchange).'
    default:
      return undefined
  }
}

/** The federated credential must match the token's issuer, subject and audience exactly. */
function federationHint(ctx: SignInContext): string {
  const repo = ctx.oidcSubject?.match(/^repo:([^:]+)/)?.[1] ?? '<owner>/<repo>'
  return [
    'No federated identity credential of the app matches the GitHub token.',
    `The token had issuer '${ctx.oidcIssuer ?? 'https://token.actions.githubusercontent.com'}', subject '${ctx.oidcSubject ?? '?'}' and audience '${ctx.oidcAudience ?? 'api://AzureADTokenExchange'}'.`,
    'Add a federated credential (App registrations → Certificates & secrets → Federated credentials → GitHub Actions) whose subject matches exactly (case-sensitive), for example:',
    `tag: repo:${repo}:ref:refs/tags/v1.2.3 (a wildcard is not allowed; use an environment for tag releases);`,
    `branch: repo:${repo}:ref:refs/heads/main;`,
    `environment: repo:${repo}:environment:production;`,
    `pull request: repo:${repo}:pull_request.`
  ].join(' ')
}
