import { describe, expect, it } from 'vitest'
import { redactSecrets } from '../../../src/core/alerts/redact.js'

// Each value below is a made-up credential of the real shape (none is live). Built from parts where a whole literal
// would trip the repository's own secret scanning.
/** Joins parts: no whole credential-shaped literal sits in the repository (push protection, secret scanners). */
const s = (...parts: string[]) => parts.join('')
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const AWS_SECRET_RANDOM = 'q8Rz3mVb7Kx1/Lp0Ns+Tw4Yc9Hd2Fg6Je5Ua0Bo1'
const SLACK_WEBHOOK = ['https://hooks.slack.com/services', 'T0123ABCD', 'B0456EFGH', 'aBcDeFgHiJkLmNoPqRsTuVwX'].join('/')

describe('redactSecrets: every credential shape that reached Slack is hidden', () => {
  it.each<[string, string, string[], string]>([
    // [case, text, secrets that must vanish, label that must appear]
    ['--password x', 'psql --host db --password hunter2-prod', ['hunter2-prod'], '--password ‹redacted›'],
    // Found by an attack run after the first fix: argv arrays shown joined with commas, and tools' own flags.
    ['argv joined with commas', 'app, --password, Pw2NeedleAb', ['Pw2NeedleAb'], '--password, ‹redacted›'],
    ['-token in argv', 'app, -token, Tk9NeedleAb', ['Tk9NeedleAb'], '-token, ‹redacted›'],
    ['curl -u in argv', 'curl, -u, admin:Pw3NeedleAb, https://x', ['Pw3NeedleAb'], 'admin:‹redacted›'],
    ['--db-pass x', 'app --db-pass Pw4NeedleAb', ['Pw4NeedleAb'], '--db-pass ‹redacted›'],
    ['DB_PASS=x', 'DB_PASS=Pw5NeedleAb ./start', ['Pw5NeedleAb'], 'DB_PASS=‹redacted›'],
    ['redis-cli -a x', 'redis-cli -h cache -a Pw6NeedleAb ping', ['Pw6NeedleAb'], '-a ‹redacted›'],
    ['sshpass -p x', 'sshpass -p Pw7NeedleAb ssh host', ['Pw7NeedleAb'], '-p ‹redacted›'],
    ['mysql -p\'x\'', 'mysql -u root -p\'Pw8NeedleAb\' app', ['Pw8NeedleAb'], '-p‹redacted password›'],
    ['a password starting with a dash', 'app --password -Pw5NeedleAb --verbose', ['-Pw5NeedleAb'], '--password ‹redacted› --verbose'],
    ['--password=-x', 'app --db-password=-Pw6NeedleAb', ['-Pw6NeedleAb'], '--db-password=‹redacted›'],
    ['--password=x', 'app --db-password=hunter2-prod --verbose', ['hunter2-prod'], '--db-password=‹redacted›'],
    ['mysql -px', 'mysql -h db.internal -u root -pS3cr3tPass! app', ['S3cr3tPass!'], '-p‹redacted password›'],
    ['mysqldump -p"x"', 'mysqldump -uadmin -phunter2 --all-databases', ['hunter2'], '-p‹redacted password›'],
    ['postgres URL', 'psql postgres://app:pw-9f8e7d@db.internal:5432/prod', ['pw-9f8e7d'], 'postgres://app:‹redacted›@db.internal:5432/prod'],
    ['URL password holding @', 'redis://:p@ss@cache:6379', ['p@ss'], 'redis://:‹redacted›@cache:6379'],
    ['export PGPASSWORD', 'export PGPASSWORD=hunter2-prod; psql -h db', ['hunter2-prod'], 'PGPASSWORD=‹redacted›'],
    ['quoted env value', `export DB_PASSWORD="correct horse battery"`, ['correct horse battery'], 'DB_PASSWORD="‹redacted›'],
    ['JSON key', '{"api_key": "k-1234567890abcdef", "region": "eu-west-1"}', ['k-1234567890abcdef'], '"api_key": "‹redacted›'],
    ['ECS name/value pair', '[{"name":"DB_PASSWORD","value":"hunter2-prod"}]', ['hunter2-prod'], '"value":"‹redacted›"'],
    ['Authorization header', `curl -H "Authorization: Bearer abc.def-123456" https://api.example.com`, ['abc.def-123456'], 'Authorization: Bearer ‹redacted credential›'],
    ['curl -u', 'curl -u deploy:hunter2-prod https://ci.example.com', ['hunter2-prod'], '-u deploy:‹redacted›'],
    ['AWS secret key, no "secret" before it', `aws configure set aws_access_key ${AWS_SECRET_RANDOM}`, [AWS_SECRET_RANDOM], '‹redacted secret key›'],
    ['AWS secret key alone', `KEY=${AWS_SECRET_RANDOM} ./run.sh`, [AWS_SECRET_RANDOM], '‹redacted secret key›'],
    ['AWS secret key after "secret"', `export AWS_SECRET_ACCESS_KEY=${AWS_SECRET}; curl -s x`, [AWS_SECRET], 'AWS_SECRET_ACCESS_KEY=‹redacted secret key›'],
    ['AWS key id', 'AKIAIOSFODNN7EXAMPLE', ['AKIAIOSFODNN7EXAMPLE'], '‹redacted AWS key id›'],
    ['AWS session token', `token IQoJb3JpZ2luX2VjEJr//////////wEaCWV1LXdlc3QtMSJHMEUCIQ`, ['IQoJb3JpZ2luX2VjEJr'], '‹redacted AWS session token›'],
    ['github_pat_', `git clone https://x:${s('github_pat_')}11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ@github.com/o/r`, ['11ABCDEFG0123456789_abcdef'], '‹redacted GitHub token›'],
    ['ghp_', `echo ${s('ghp_')}abcdefghijklmnopqrstuvwxyz0123456789`, ['abcdefghijklmnopqrstuvwxyz0123456789'], '‹redacted GitHub token›'],
    ['glpat-', `GITLAB=${s('glpat-')}xYz123AbC456dEf789gHi0`, ['xYz123AbC456dEf789gHi0'], '‹redacted GitLab token›'],
    ['xapp-', `${s('xapp-')}1-A0123ABCDEF-1234567890123-0123456789abcdef0123456789abcdef`, ['A0123ABCDEF-1234567890123'], '‹redacted Slack token›'],
    ['xoxe-', `${s('xoxe-')}1-My0xLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MDEyMy1hYmNk`, ['My0xLTEyMzQ1Njc4OTAt'], '‹redacted Slack token›'],
    ['xoxe.xoxb-', `${s('xoxe.xoxb-')}1-MS0yLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA`, ['MS0yLTEyMzQ1Njc4OTAt'], '‹redacted Slack token›'],
    ['xoxb-', `${s('xoxb-')}1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx`, ['AbCdEfGhIjKlMnOpQrStUvWx'], '‹redacted Slack token›'],
    ['Slack webhook URL', `curl -X POST ${SLACK_WEBHOOK} -d @msg.json`, ['aBcDeFgHiJkLmNoPqRsTuVwX', 'B0456EFGH'], '‹redacted Slack webhook›'],
    ['sk_live_', `STRIPE=${s('sk_live_')}51Hx0123456789abcdefghijklmnop`, ['51Hx0123456789abcdefghijklmnop'], '‹redacted Stripe key›'],
    ['AIza', `maps?key=${s('AIza')}SyA-0123456789abcdefghijklmnopqrstu`, ['SyA-0123456789abcdefghijklmnopqrstu'], '‹redacted Google API key›'],
    ['npm_', `//registry.npmjs.org/:_authToken=${s('npm_')}abcdefghijklmnopqrstuvwxyz0123456789`, ['abcdefghijklmnopqrstuvwxyz0123456789'], '‹redacted npm token›'],
    ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', ['eyJzdWIiOiIxMjM0NTY3ODkwIn0'], '‹redacted JWT›'],
    ['private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----', ['MIIEpAIBAAKCAQEA7'], '‹redacted private key›'],
    ['errorMessage quoting a token', 'User: x is not authorized: token=abc123def456 rejected', ['abc123def456'], 'token=‹redacted›'],
  ])('%s', (_case, text, secrets, label) => {
    const out = redactSecrets(text)
    for (const secret of secrets) expect(out).not.toContain(secret)
    expect(out).toContain(label)
  })

  it('is idempotent: redacting twice changes nothing more', () => {
    const once = redactSecrets(`export PGPASSWORD=x1; mysql -px2 postgres://a:b@h ${AWS_SECRET_RANDOM}`)
    expect(redactSecrets(once)).toBe(once)
  })
})

describe('redactSecrets: what is not a secret stays', () => {
  it.each([
    ['ECR image with tag', '111122223333.dkr.ecr.eu-west-1.amazonaws.com/web-frontend:v1.24.3-rc.1'],
    ['image by digest', 'nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31'],
    ['sha256 digest', 'sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904e2a2a5b6c7d8e9f0a1b2c3d4'],
    ['git commit (40 hex)', 'deploy 4b825dc642cb6eb9a060e54bf8d69288fbee4904'],
    ['upper-case sha1', 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709'],
    ['UUID', '7a1b2c3d-0000-4000-8000-00000000abcd'],
    ['role ARN', 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef'],
    ['secret ARN', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-password-AbCdEf'],
    ['SSM parameter ARN', 'arn:aws:ssm:eu-west-1:111122223333:parameter/prod/db/password'],
    ['task ARN', 'arn:aws:ecs:eu-west-1:111122223333:task/prod-web/4c8f2d1e9a7b4c3d8e6f1a2b3c4d5e6f'],
    ['principalId (role unique id)', 'AROAEXAMPLEROLEID1234:alice@example.com'],
    ['secret reference, not value', 'aws secretsmanager get-secret-value --secret-id prod/db --query SecretString'],
    ['variable reference', 'export PGPASSWORD=$DB_PASSWORD && psql'],
    ['password file flag', 'app --password-file /run/secrets/db'],
    ['docker port and user', 'docker run -p 8080:80 -u 1000:1000 nginx'],
    ['URL without credentials', 'https://eu-west-1.console.aws.amazon.com:443/ecs/v2/clusters/prod-web'],
    ['user agent', 'aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard'],
    ['credential endpoint', 'curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'],
    ['error message', 'The security token included in the request is invalid.'],
    ['path of 40 characters', '/usr/local/lib/nodemodules/npm/bin/npmcl'],
    ['container name', 'web-frontend_sidecar.v2'],
  ])('%s', (_case, text) => {
    expect(redactSecrets(text)).toBe(text)
  })
})
