// A small handler: greets the caller and reports where it ran.

// Module globals survive between warm invokes, exactly as on Lambda.
let invocations = 0;

export const handler = async (event, context) => {
  invocations += 1;
  const name = typeof event?.name === "string" ? event.name : "world";
  console.info(`greeting ${name}`);
  console.log(`invocation ${invocations} of this environment`);
  return {
    statusCode: 200,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      message: `Hello, ${name}!`,
      function: context.functionName,
      memoryLimitInMB: context.memoryLimitInMB,
      region: process.env.AWS_REGION,
      node: process.version,
      remainingMs: context.getRemainingTimeInMillis(),
      warmInvocations: invocations,
    }),
  };
};
