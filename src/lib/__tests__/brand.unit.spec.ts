import { readdirSync, readFileSync, statSync } from "node:fs"
import path from "node:path"
import { payButtonText, paymentBrand } from "../brand"

const ROOT = path.resolve(__dirname, "../../..")

describe("brand by market and date (MobilePay becomes Vipps on 12 January 2027)", () => {
  it("keeps Norway on Vipps and moves Denmark and Finland at the rebrand", () => {
    const before = new Date("2027-01-11T22:59:59Z")
    const after = new Date("2027-01-11T23:00:00Z") // midnight in Copenhagen and Oslo
    expect(paymentBrand("nok", before)).toBe("Vipps")
    expect(paymentBrand("DKK", before)).toBe("MobilePay")
    expect(paymentBrand("eur", before)).toBe("MobilePay")
    expect(paymentBrand("dkk", after)).toBe("Vipps")
    expect(paymentBrand("EUR", after)).toBe("Vipps")
    expect(paymentBrand("DKK", after, "2027-03-01T00:00:00Z")).toBe("MobilePay")
  })

  it("gives the button text per language, English otherwise", () => {
    const before = new Date("2026-12-01T12:00:00Z")
    expect(payButtonText("nok", "nb-NO", before)).toBe("Betal med Vipps")
    expect(payButtonText("dkk", "da", before)).toBe("Betal med MobilePay")
    expect(payButtonText("eur", "fi", before)).toBe("Pay with MobilePay")
    expect(payButtonText("dkk", "en", new Date("2027-02-01T00:00:00Z"))).toBe("Pay with Vipps")
  })

  it("nothing in the repository depends on the old landing-page domains", () => {
    const old = /pay\.mobilepay\.(dk|fi)/i
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (["node_modules", ".git", ".medusa", ".tmp", "dist"].includes(name)) continue
        const file = path.join(dir, name)
        if (statSync(file).isDirectory()) walk(file)
        else if (/\.(ts|tsx|js|mjs|json|md|yml)$/.test(name) && !file.endsWith("brand.unit.spec.ts")) {
          if (old.test(readFileSync(file, "utf8"))) offenders.push(path.relative(ROOT, file))
        }
      }
    }
    for (const dir of ["src", "docs", "examples", "integration-tests", "README.md"]) {
      const target = path.join(ROOT, dir)
      try {
        if (statSync(target).isDirectory()) walk(target)
        else if (old.test(readFileSync(target, "utf8"))) offenders.push(dir)
      } catch {
        // a folder the repository does not have
      }
    }
    expect(offenders).toEqual([])
  })
})
