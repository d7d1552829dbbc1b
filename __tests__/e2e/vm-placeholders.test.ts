import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CONTOSO_VM } from '../../emulator/seed/default.js'
import { planGuid } from '../../emulator/product-ingestion/seed.js'
import { graphToken, pi } from '../emulator-pi/helpers.js'
import { emulatorInputs, rehearsalEnv, useEmulator, writes } from '../helpers/emulator.js'
import { errorAnnotations, everythingWritten, runAction } from '../helpers/run-action.js'

/** One resource file for every release: `${{ version }}` and inputs in it stand for the release at hand. */
const SCALE = 100
const emulator = useEmulator({ timeScale: SCALE })
const env = { GITHUB_REF: 'refs/tags/v1.4.0', ...rehearsalEnv(SCALE) }
const SIG = 'pLaCeHoLdErSiGnAtUrE0123456789abcdefXYZ%3D'
const OS_DISK = `https://contosoimages.blob.core.windows.net/vhds/os.vhd?sv=2022-11-02&sr=b&sp=rl&se=${new Date(Date.now() + 30 * 86_400_000).toISOString()}&sig=${SIG}`
const plan = `plan/${CONTOSO_VM.productId}/${planGuid(CONTOSO_VM.productId, 'standard')}`
const id = `virtual-machine-plan-technical-configuration/${CONTOSO_VM.productId}/${planGuid(CONTOSO_VM.productId, 'standard')}`

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vm-placeholders-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The plan's technical configuration as a repository would keep it, with the new version templated. */
const file = (name: string, versionLine: string): string => {
  const path = join(dir, name)
  writeFileSync(
    path,
    [
      '$schema: https://schema.mp.microsoft.com/schema/virtual-machine-plan-technical-configuration/2022-03-01-preview2',
      `id: ${id}`,
      `product: product/${CONTOSO_VM.productId}`,
      `plan: ${plan}`,
      'operatingSystem: { family: linux, type: ubuntu, friendlyName: Ubuntu 22.04 LTS }',
      'skus: [{ imageType: x64Gen2, skuId: standard-gen2 }]',
      'vmImageVersions:',
      `  - versionNumber: ${versionLine}`,
      '    vmImages:',
      '      - imageType: x64Gen2',
      '        source:',
      '          sourceType: sasUri',
      '          osDisk: { uri: "${{ os-disk-uri }}" }',
      ''
    ].join('\n')
  )
  return path
}

describe('placeholders in configure files', () => {
  it('fills in the version from the tag and a SAS URI from its input, and the job applies them', async () => {
    const configured = await runAction({
      env: { ...env, GITHUB_WORKSPACE: dir },
      inputs: emulatorInputs(emulator, {
        command: 'configure',
        'config-path': file('standard.yaml', '${{ version }}'),
        'os-disk-uri': OS_DISK
      })
    })
    expect(errorAnnotations(configured)).toEqual([])
    expect(configured.outputs['job-result']).toBe('succeeded')
    expect(everythingWritten(configured)).not.toContain(SIG)
    const call = pi(emulator, await graphToken(emulator))
    const stored = (await call('GET', id)).body
    expect(stored.vmImageVersions).toEqual([
      {
        versionNumber: '1.4.0',
        vmImages: [{ imageType: 'x64Gen2', source: { sourceType: 'sasUri', osDisk: { uri: OS_DISK } } }]
      }
    ])
  })

  it('an unknown placeholder fails with file and line, and nothing is sent', async () => {
    const failed = await runAction({
      env: { ...env, GITHUB_WORKSPACE: dir },
      inputs: emulatorInputs(emulator, {
        command: 'configure',
        'config-path': file('typo.yaml', '${{ build-number }}')
      })
    })
    expect(failed.code).toBe(1)
    expect(failed.stdout).toMatch(/::error [^:]*file=[^,]*typo\.yaml,line=8/)
    expect(errorAnnotations(failed).join('\n')).toContain(
      'typo.yaml:8:20: vmImageVersions[0].versionNumber: unknown placeholder ${{ build-number }}; known here: image-type, image-version, tag, version'
    )
    expect(writes(emulator)).toEqual([])
  })
})
