/**
 * The Next.js starter's UI components for the Vipps MobilePay files: `@medusajs/ui`. Replaces the
 * dtc-starter's version of this file (which uses its own `@modules/common/components/ui`).
 */
export { Button, Heading, Input, Label, Text } from "@medusajs/ui"
