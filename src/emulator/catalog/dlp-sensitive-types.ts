// Microsoft's built-in sensitive information types (entity ids from their rule packages). DLP records
// name them by id in `SensitiveType`; `/resources/dlpSensitiveTypes` resolves the ids to these names.
export interface DlpSensitiveType {
  id: string;
  name: string;
}

export const DLP_SENSITIVE_TYPES: readonly DlpSensitiveType[] = [
  { id: '50842eb7-edc8-4019-85dd-5a5c1f2bb085', name: 'CreditCardNumber' },
  { id: '0e9b3178-9678-47dd-a509-37222ca96b42', name: 'EUDebitCardNumber' },
  { id: 'a44669fe-0d48-453d-a9b1-2cc83f2cba77', name: 'USSocialSecurityNumber' },
  { id: 'a2ce32a8-f935-4bb6-8e96-2a5157672e2c', name: 'USBankAccountNumber' },
  { id: 'cb353f78-2b72-4c3c-8827-92ebe4f69fdf', name: 'ABARoutingNumber' },
  { id: 'e55e2a32-f92d-4985-a35d-a0b269eb687b', name: 'USIndividualTaxpayerIdentificationNumber' },
  { id: '178ec42a-18b4-47cc-85c7-d62c92fd67f8', name: 'USUKPassportNumber' },
  { id: 'e7dc4711-11b7-4cb0-b88b-2c394a771f0e', name: 'InternationalBankingAccountNumber' },
  { id: 'cb2ab58c-9cb8-4c81-baf8-a4e106791df4', name: 'SWIFTCode' },
  { id: '16c07343-c26f-49d2-a987-3daf717e94cc', name: 'UKNationalInsuranceNumber' },
  { id: '419f449f-6d9d-4be1-a154-b531f7a91b41', name: 'EUNationalIdentificationNumber' },
  { id: 'b8fe86d1-c056-453b-bfaa-9fe698699ecc', name: 'EUDriversLicenseNumber' },
  { id: 'e577372f-c42e-47a0-9d85-bebed1c237d4', name: 'GermanyIdentityCardNumber' },
  { id: 'a2f29c85-ecb8-4514-a610-364790c0773e', name: 'CanadaSocialInsuranceNumber' },
  { id: 'e29bc95f-ff70-4a37-aa01-04d17360a4c5', name: 'AustraliaTaxFileNumber' },
];
