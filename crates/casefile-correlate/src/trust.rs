//! Certificate trust: signers, generations, signatures, consumers.
