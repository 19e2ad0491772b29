// 9001 签到 / 9002 签退 (nhsa-interface.md §1.4).
import { z } from 'zod';
import { code, dateTimeText } from '../fields';

export const SignInInput = z.object({
  signIn: z.object({ opter_no: code(30), mac: code(30), ip: code(40) }),
});
export type SignInInput = z.infer<typeof SignInInput>;

export const SignInOutput = z.object({
  signinoutb: z.object({ sign_time: dateTimeText, sign_no: code(30) }),
});
export type SignInOutput = z.infer<typeof SignInOutput>;

export const SignOutInput = z.object({
  signOut: z.object({ sign_no: code(30), opter_no: code(30) }),
});
export type SignOutInput = z.infer<typeof SignOutInput>;

export const SignOutOutput = z.object({
  signoutoutb: z.object({ sign_time: dateTimeText }),
});
export type SignOutOutput = z.infer<typeof SignOutOutput>;
